import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/api.ts';
import { isApiError } from '../api/api-error.ts';
import { exportWidget } from '../api/reports-api.ts';

/**
 * Downloads a widget's data as XLSX, with the filters the dashboard applies now: the server
 * builds the workbook (under the user's rights, audited) and the browser saves it under the
 * name the server gave. A refusal (no `export` right, say) shows the server's message.
 */
export function WidgetExportButton(props: {
  readonly app: string;
  readonly dashboard: string;
  readonly widget: string;
  readonly title: string;
  readonly globalFilters: readonly unknown[];
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const file = await exportWidget(
        api,
        props.app,
        props.dashboard,
        props.widget,
        props.globalFilters,
      );
      saveFile(file.blob, file.filename ?? `${props.widget}.xlsx`);
    } catch (error) {
      message.error(isApiError(error) ? error.message : t('errors.title'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      size="small"
      type="text"
      icon={<DownloadOutlined />}
      loading={busy}
      onClick={download}
      aria-label={t('dashboard.exportWidget', { title: props.title })}
      title={t('dashboard.exportXlsx')}
    />
  );
}

/** Hands `blob` to the browser's download as `name` (a link clicked, then let go). */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
