import { Checkbox, DatePicker, Input, InputNumber, Radio, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale.ts';
import { localized, type RuntimeField } from '../field-model.ts';
import { FileUpload } from './file-upload.tsx';
import { DepartmentPicker, RelationPicker, UserPicker } from './pickers.tsx';

/**
 * Where an input sits: the app and form (for uploads and relation searches), and the workflow
 * task when it is a step's form (uploads then name the task: the right to attach comes from it).
 */
export interface InputPlace {
  readonly app: string;
  readonly form: string;
  readonly task?: string;
}

/**
 * The antd input for a field type. antd's Form.Item passes `value`, `onChange` and `id` to the
 * element returned here. Money and percent use string mode, so decimals stay exact.
 */
export function fieldInput(field: RuntimeField, place: InputPlace, disabled: boolean): ReactNode {
  const config = field.definition.config ?? {};
  switch (field.type) {
    case 'textarea':
      return (
        <Input.TextArea
          autoSize={{
            minRows: typeof config.rows === 'number' ? Math.min(config.rows, 8) : 3,
            maxRows: 12,
          }}
          disabled={disabled}
        />
      );
    case 'number':
      return (
        <InputNumber
          className="jny-input-full"
          {...(typeof config.decimals === 'number' ? { precision: config.decimals } : {})}
          disabled={disabled}
        />
      );
    case 'money':
      return (
        <InputNumber<string>
          className="jny-input-full"
          stringMode
          precision={2}
          prefix={config.currency === 'USD' ? '$' : '¥'}
          disabled={disabled}
        />
      );
    case 'percent':
      return (
        <InputNumber<string> className="jny-input-full" stringMode suffix="%" disabled={disabled} />
      );
    case 'date':
      return <DatePicker className="jny-input-full" disabled={disabled} />;
    case 'datetime':
      return (
        <DatePicker
          className="jny-input-full"
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          disabled={disabled}
        />
      );
    case 'checkbox':
      return <Checkbox disabled={disabled} />;
    case 'select':
      return <ChoiceInput field={field} disabled={disabled} />;
    case 'multiselect':
      return <ChoiceInput field={field} disabled={disabled} multiple />;
    case 'user':
      return <UserPicker disabled={disabled} />;
    case 'department':
      return <DepartmentPicker disabled={disabled} />;
    case 'relation':
      return <RelationPicker app={place.app} field={field} disabled={disabled} />;
    case 'attachment':
    case 'image':
      return (
        <FileUpload
          app={place.app}
          form={place.form}
          {...(place.task ? { task: place.task } : {})}
          field={field}
          disabled={disabled}
        />
      );
    case 'mobile':
      return <Input inputMode="tel" autoComplete="tel" maxLength={20} disabled={disabled} />;
    case 'email':
      return <Input type="email" autoComplete="email" disabled={disabled} />;
    case 'url':
      return <Input type="url" placeholder="https://" disabled={disabled} />;
    case 'national_id':
      return <Input maxLength={18} autoComplete="off" disabled={disabled} />;
    case 'bank_account':
      return <Input inputMode="numeric" autoComplete="off" maxLength={40} disabled={disabled} />;
    default:
      return <Input disabled={disabled} />;
  }
}

/** The value prop antd must bind for a field type (`checked` for a checkbox). */
export function valuePropName(field: RuntimeField): string {
  return field.type === 'checkbox' ? 'checked' : 'value';
}

function ChoiceInput(props: {
  readonly field: RuntimeField;
  readonly disabled: boolean;
  readonly multiple?: boolean;
  readonly id?: string;
  readonly value?: string | string[];
  readonly onChange?: (value: unknown) => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const options = props.field.options.map((o) => ({
    value: o.value,
    label: localized(o.label, locale),
  }));
  if (!props.multiple && props.field.definition.config?.display === 'radio') {
    return (
      <Radio.Group
        {...(props.id ? { id: props.id } : {})}
        value={props.value}
        disabled={props.disabled === true}
        onChange={(event) => props.onChange?.(event.target.value)}
        options={options}
      />
    );
  }
  return (
    <Select
      {...(props.id ? { id: props.id } : {})}
      {...(props.multiple ? { mode: 'multiple' as const } : {})}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('form.selectPlaceholder')}
      disabled={props.disabled === true}
      value={props.value}
      onChange={(value: unknown) => props.onChange?.(value)}
      options={options}
    />
  );
}
