import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Progress, Select, Space, Table, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/api.ts';
import { type ApiError, isApiError } from '../../api/api-error.ts';
import { type ImportJob, importJob, startImport } from '../../api/records-api.ts';
import { useLocale } from '../../i18n/use-locale.ts';
import { localized, type RuntimeField } from '../field-model.ts';
import { type ColumnMapping, guessMapping } from './import-rows.ts';

/** How often a running import job is asked for its progress. */
const POLL_MS = 500;

interface ImportDialogProps {
  readonly app: string;
  readonly form: string;
  readonly fields: readonly RuntimeField[];
  /** `imported` is true when rows were written (the list reloads). */
  readonly onClose: (imported: boolean) => void;
}

type Picked = { readonly file: File; readonly headers: readonly string[]; readonly rows: number };

/** Problems as the server words them: from the job, or from a 400's `rows/N/field` list. */
function problemsOf(source: ImportJob | ApiError): string[] {
  if (isApiError(source)) {
    return source.fields.length > 0 ? source.fields.map((field) => field.reason) : [source.message];
  }
  return source.problems.map((problem) => problem.message);
}

/**
 * Imports a CSV or XLSX file through the server's import: pick the file, map its columns to
 * fields (guessed from the CSV headers; the server maps the rest by key or label), a dry run that
 * lists every problem as "row N, field F: reason", then the import as a job whose progress is
 * polled into a progress bar. All or nothing: one invalid row imports nothing.
 */
export function ImportDialog({ app, form, fields, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const [picked, setPicked] = useState<Picked>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [checked, setChecked] = useState<{ problems: string[]; rows: number }>();
  const [job, setJob] = useState<ImportJob>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const inputs = fields.filter((field) => field.input && field.type !== 'subform');
  const sentMapping = () =>
    Object.fromEntries(
      Object.entries(mapping).flatMap(([column, key]) => (key ? [[column, key]] : [])),
    );

  const pick = async (file: File) => {
    setChecked(undefined);
    setJob(undefined);
    setFailure(undefined);
    if (/\.xlsx$/i.test(file.name)) {
      setPicked({ file, headers: [], rows: 0 });
      setMapping({});
      return;
    }
    const { parse } = await import('papaparse');
    const text = (await file.text()).replace(/^\uFEFF/, '');
    const result = parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy' });
    const headers = result.meta.fields ?? [];
    setPicked({ file, headers, rows: result.data.length });
    setMapping(guessMapping(headers, inputs));
  };

  const dryRun = async () => {
    if (!picked) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const result = await startImport(api, app, form, picked.file, {
        mapping: sentMapping(),
        dryRun: true,
      });
      setChecked({ problems: problemsOf(result), rows: result.totalRows });
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.fields.length > 0) setChecked({ problems: problemsOf(error), rows: 0 });
      else setFailure(error.message);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!picked) return;
    setBusy(true);
    try {
      setJob(
        await startImport(api, app, form, picked.file, { mapping: sentMapping(), dryRun: false }),
      );
    } catch (error) {
      if (!isApiError(error)) throw error;
      setFailure(problemsOf(error).join('；'));
      setBusy(false);
    }
  };

  // Polls the running job for its progress until it ends.
  useEffect(() => {
    if (!job) return;
    if (job.status !== 'running') {
      setBusy(false);
      return;
    }
    const timer = setTimeout(() => {
      importJob(api, app, form, job.id).then(setJob, (error: unknown) => {
        if (isApiError(error)) setFailure(error.message);
        setBusy(false);
      });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job, app, form]);

  const running = job?.status === 'running';
  const imported = (job?.insertedRows ?? 0) > 0;
  const percent =
    job && job.totalRows > 0 ? Math.round((job.processedRows / job.totalRows) * 100) : 0;
  const problems = job && job.status === 'failed' ? problemsOf(job) : (checked?.problems ?? []);

  return (
    <Modal
      open
      title={t('importer.title')}
      width={760}
      onCancel={() => !running && onClose(imported)}
      footer={
        <Space>
          <Button onClick={() => onClose(imported)} disabled={running}>
            {t('importer.close')}
          </Button>
          <Button onClick={dryRun} disabled={!picked || busy || job !== undefined}>
            {t('importer.dryRun')}
          </Button>
          <Button
            type="primary"
            onClick={run}
            loading={running}
            disabled={!checked || checked.problems.length > 0 || busy || job !== undefined}
          >
            {t('importer.start', { count: checked?.rows ?? 0 })}
          </Button>
        </Space>
      }
    >
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv"
        maxCount={1}
        showUploadList={false}
        disabled={busy}
        beforeUpload={(file) => {
          void pick(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{picked ? picked.file.name : t('importer.pick')}</p>
        <Typography.Text type="secondary">
          {picked && picked.headers.length > 0
            ? t('importer.rows', { count: picked.rows })
            : t('importer.hint')}
        </Typography.Text>
      </Upload.Dragger>
      {picked && picked.headers.length > 0 && (
        <Table
          className="jny-import__mapping"
          size="small"
          pagination={false}
          rowKey="header"
          scroll={{ y: 220 }}
          title={() => t('importer.mapping')}
          dataSource={picked.headers.map((header) => ({ header }))}
          columns={[
            { title: t('importer.column'), dataIndex: 'header' },
            {
              title: t('importer.field'),
              render: (_: unknown, { header }: { header: string }) => (
                <Select
                  aria-label={`${t('importer.field')}: ${header}`}
                  className="jny-import__select"
                  value={mapping[header] ?? ''}
                  disabled={job !== undefined}
                  onChange={(key: string) => {
                    setMapping({ ...mapping, [header]: key === '' ? null : key });
                    setChecked(undefined);
                  }}
                  options={[
                    { value: '', label: t('importer.skip') },
                    ...inputs.map((f) => ({ value: f.key, label: localized(f.label, locale) })),
                  ]}
                />
              ),
            },
          ]}
        />
      )}
      {checked && checked.problems.length === 0 && !job && (
        <Alert type="success" showIcon title={t('importer.dryRunOk', { count: checked.rows })} />
      )}
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('importer.dryRunProblems', { count: problems.length })}
          description={
            <ul className="jny-import__problems" data-testid="import-problems">
              {problems.slice(0, 200).map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          }
        />
      )}
      {job && (
        <div role="status" aria-live="polite">
          <Typography.Text>
            {job.status === 'succeeded'
              ? t('importer.done', { count: job.insertedRows })
              : t('importer.progress')}
          </Typography.Text>
          <Progress
            percent={job.status === 'succeeded' ? 100 : percent}
            status={
              job.status === 'failed'
                ? 'exception'
                : job.status === 'succeeded'
                  ? 'success'
                  : 'active'
            }
          />
        </div>
      )}
      {failure && <Alert type="error" showIcon title={failure} />}
    </Modal>
  );
}
