import { EyeOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api.ts';
import { isApiError } from '../../api/api-error.ts';
import { getRecord } from '../../api/records-api.ts';

/** Where the masked value lives and what the field is called, for the reveal control. */
export interface MaskedField {
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
  readonly field: string;
  readonly fieldLabel: string;
}

/**
 * The input of a personal-data field an edit form shows masked (`138****1234`) to a user who may
 * unmask it. The mask stays as shown, and the field unchanged on save (the form sends only what
 * changed, and the server takes a mask sent back as no change), unless the user types a new
 * value. The eye reads this one field in clear — the same audited request as the record page's
 * control — and puts it in the input; nothing is read in clear without that click.
 */
export function MaskedInput(props: {
  readonly masked: MaskedField;
  readonly disabled: boolean;
  // Set by the enclosing Form.Item.
  readonly id?: string;
  readonly value?: unknown;
  readonly onChange?: (value: unknown) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const { app, form, recordId, field, fieldLabel } = props.masked;
  const reveal = () => {
    setBusy(true);
    getRecord(api, app, form, recordId, { query: { fields: field, unmask: field } }).then(
      (record) => {
        setBusy(false);
        setRevealed(true);
        props.onChange?.(record.values[field] ?? undefined);
      },
      (error: unknown) => {
        setBusy(false);
        message.error(isApiError(error) ? error.message : t('errors.title'));
      },
    );
  };
  return (
    <Input
      {...(props.id ? { id: props.id } : {})}
      value={typeof props.value === 'string' ? props.value : ''}
      disabled={props.disabled}
      onChange={(event) => props.onChange?.(event.target.value)}
      suffix={
        revealed ? undefined : (
          <Button
            size="small"
            type="link"
            icon={<EyeOutlined />}
            loading={busy}
            disabled={props.disabled}
            onClick={reveal}
            aria-label={t('record.reveal', { field: fieldLabel })}
            title={t('record.revealHint')}
          />
        )
      }
    />
  );
}
