import { UploadOutlined } from '@ant-design/icons';
import { Button, Upload, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api.ts';
import { formPath } from '../../api/records-api.ts';
import { currentLocale } from '../../i18n/i18n.ts';
import type { RuntimeField } from '../field-model.ts';

/** What a file field stores per file (the server's upload answer, less its hash). */
export interface StoredFile {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
}

function isStoredFile(value: unknown): value is StoredFile {
  return typeof value === 'object' && value !== null && 'id' in value && 'name' in value;
}

/**
 * Attachment and image fields: each file is uploaded at once to
 * `POST /api/apps/:app/forms/:form/files?field=` (antd's Upload shows the progress), and the
 * field keeps the references the server returns. Limits (count, size, types) come from the
 * field's config; the server checks them again, and its refusal shows on the file.
 */
export function FileUpload(props: {
  readonly id?: string;
  readonly app: string;
  readonly form: string;
  /** The workflow task the file is for (a comment's or a step's field): the server checks it. */
  readonly task?: string;
  readonly field: RuntimeField;
  readonly value?: readonly StoredFile[];
  readonly onChange?: (files: StoredFile[]) => void;
  readonly disabled?: boolean;
}) {
  const { t } = useTranslation();
  const config = props.field.definition.config ?? {};
  const maxFiles = typeof config.maxFiles === 'number' ? config.maxFiles : 10;
  const accept = Array.isArray(config.accept)
    ? config.accept.join(',')
    : props.field.type === 'image'
      ? 'image/*'
      : undefined;
  const fileList: UploadFile[] = (props.value ?? []).map((file) => ({
    uid: file.id,
    name: file.name,
    status: 'done',
    url: `/api/files/${encodeURIComponent(file.id)}`,
    response: file,
  }));
  const token = api.csrfToken();
  return (
    <Upload
      {...(props.id ? { id: props.id } : {})}
      name="file"
      action={`${formPath(props.app, props.form)}/files?field=${encodeURIComponent(props.field.key)}${
        props.task ? `&task=${encodeURIComponent(props.task)}` : ''
      }`}
      headers={{
        ...(token ? { 'x-csrf-token': token } : {}),
        'Accept-Language': currentLocale(),
      }}
      withCredentials
      multiple={maxFiles > 1}
      maxCount={maxFiles}
      disabled={props.disabled === true}
      {...(accept ? { accept } : {})}
      listType={props.field.type === 'image' ? 'picture' : 'text'}
      defaultFileList={fileList}
      onChange={({ fileList: next }) => {
        const done = next.flatMap((file) => {
          const response: unknown = file.response;
          if (file.status !== 'done' || !isStoredFile(response)) return [];
          return [
            { id: response.id, name: response.name, size: response.size, mime: response.mime },
          ];
        });
        for (const file of next) {
          const response: unknown = file.response;
          if (
            file.status === 'error' &&
            typeof response === 'object' &&
            response !== null &&
            'error' in response
          ) {
            const error = (response as { error: { message?: string } }).error;
            file.error = new Error(error.message ?? '');
            file.response = error.message;
          }
        }
        props.onChange?.(done);
      }}
    >
      <Button icon={<UploadOutlined />} disabled={props.disabled === true}>
        {t('form.upload')}
      </Button>
    </Upload>
  );
}
