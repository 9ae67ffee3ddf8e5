import { EyeOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api.ts';
import { isApiError } from '../../api/api-error.ts';
import { getRecord } from '../../api/records-api.ts';

/**
 * A masked value (`138****1234`) that its reader may reveal: a click reads this one field in
 * clear (`?fields=…&unmask=…`), which the server audits. Shown only to users whose roles may
 * unmask the field; others see the masked text alone.
 */
export function RevealableValue(props: {
  readonly app: string;
  readonly form: string;
  readonly recordId: string;
  readonly field: string;
  readonly fieldLabel: string;
  readonly masked: string;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [clear, setClear] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const reveal = () => {
    setBusy(true);
    getRecord(api, props.app, props.form, props.recordId, {
      query: { fields: props.field, unmask: props.field },
    }).then(
      (record) => setClear(String(record.values[props.field] ?? '')),
      (error: unknown) => {
        setBusy(false);
        message.error(isApiError(error) ? error.message : t('errors.title'));
      },
    );
  };
  if (clear !== undefined) return <span data-field={props.field}>{clear}</span>;
  return (
    <span className="jny-revealable">
      <span data-field={props.field}>{props.masked}</span>
      <Button
        size="small"
        type="link"
        icon={<EyeOutlined />}
        loading={busy}
        onClick={reveal}
        aria-label={t('record.reveal', { field: props.fieldLabel })}
        title={t('record.revealHint')}
      />
    </span>
  );
}
