import {
  evaluateForm,
  type FormDefinition,
  type FormEvaluation,
  prepareRecordWrite,
} from '@joinery/forms';
import type { FieldProblem, RecordBody } from '@joinery/shared';
import { Alert, App as AntApp, Button, Col, Form, Row, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../api/api.ts';
import { isApiError } from '../../api/api-error.ts';
import { createRecord, getRecord, updateRecord } from '../../api/records-api.ts';
import { splitFieldProblems } from '../../forms/field-errors.ts';
import { useLocale } from '../../i18n/use-locale.ts';
import { formRights, loadMyAccess } from '../../session/my-access.ts';
import { useSignedInUser } from '../../session/use-session.ts';
import { formListPath, recordPath } from '../app-navigation.ts';
import { localized, type RuntimeField, runtimeFields } from '../field-model.ts';
import { formatValue } from '../format-value.ts';
import { PageState } from '../page-state.tsx';
import { loadPublishedForm, type PublishedForm, useLoaded } from '../published-forms.ts';
import { fieldInput, valuePropName } from './field-input.tsx';
import { type FormValues, toFormValues, toWireValues } from './form-values.ts';
import { maskedEchoPaths } from './masked-echoes.ts';
import { MaskedInput } from './masked-input.tsx';
import { SubformTable } from './subform-table.tsx';
import { useUnsavedGuard } from './use-unsaved-guard.ts';

/** `/apps/:app/forms/:form/new` and `…/records/:id/edit`: a record's form. */
export default function RecordFormPage() {
  const { app = '', form = '', id } = useParams();
  const [generation, setGeneration] = useState(0);
  const user = useSignedInUser();
  const loaded = useLoaded(async () => {
    const [published, record, access] = await Promise.all([
      loadPublishedForm(app, form),
      // Personal data arrives masked, as on the record page: reading it in clear is audited,
      // so it happens only when the user asks (the eye on the field).
      id ? getRecord(api, app, form, id, { query: { unmask: 'none' } }) : undefined,
      loadMyAccess(user.id),
    ]);
    return { published, record, unmaskable: formRights(access, app, form).unmask };
  }, [app, form, id, generation, user.id]);
  return (
    <PageState state={loaded}>
      {({ published, record, unmaskable }) => (
        <RecordEditor
          key={`${id ?? 'new'}-${record?.version ?? 0}-${generation}`}
          published={published}
          form={form}
          record={record}
          unmaskable={unmaskable}
          onReload={() => setGeneration((g) => g + 1)}
        />
      )}
    </PageState>
  );
}

/** A section of the form and the fields placed in it. */
interface Section {
  readonly key: string;
  readonly label: string | undefined;
  readonly fields: readonly RuntimeField[];
}

function sectionsOf(
  definition: FormDefinition,
  fields: readonly RuntimeField[],
  locale: 'zh-CN' | 'en',
): Section[] {
  const declared = definition.sections ?? [];
  const known = new Set(declared.map((s) => s.key));
  const loose = fields.filter(
    (f) => !f.definition.layout?.section || !known.has(f.definition.layout.section),
  );
  const sections: Section[] = declared.map((section) => ({
    key: section.key,
    label: localized(section.label, locale),
    fields: fields.filter((f) => f.definition.layout?.section === section.key),
  }));
  if (loose.length > 0) sections.unshift({ key: '', label: undefined, fields: loose });
  return sections.filter((section) => section.fields.length > 0);
}

/** Problems (from the engine or the server) as antd field errors; the rest as a list. */
function toFieldProblems(problems: readonly FieldProblem[], keys: readonly string[]) {
  const normalised = problems.map((p) => ({
    ...p,
    field: p.field.startsWith('/') ? p.field : `/${p.field}`,
  }));
  return splitFieldProblems(normalised, keys);
}

function RecordEditor(props: {
  readonly published: PublishedForm;
  readonly form: string;
  readonly record: RecordBody | undefined;
  /** The fields whose masked values the user may reveal (each reveal audited). */
  readonly unmaskable: readonly string[];
  readonly onReload: () => void;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const user = useSignedInUser();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const { published, record, form } = props;
  const app = published.app;
  const definition = published.definition;
  const fields = useMemo(() => runtimeFields(definition), [definition]);
  const keys = useMemo(() => fields.map((f) => f.key), [fields]);
  const [antForm] = Form.useForm<FormValues>();
  const initialValues = useMemo(() => toFormValues(fields, record?.values ?? {}), [fields, record]);
  // `today` in linkage and formulas is the server's business day, not the browser's zone.
  const context = useMemo(
    () => ({
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        isAdmin: user.isAdmin,
      },
      utcOffsetMinutes: published.utcOffsetMinutes,
    }),
    [user, published.utcOffsetMinutes],
  );
  const evaluate = (values: FormValues): FormEvaluation =>
    evaluateForm(
      definition,
      { ...(record?.values ?? {}), ...toWireValues(fields, values) },
      { ...context, now: new Date() },
    );
  const [evaluation, setEvaluation] = useState<FormEvaluation>(() => evaluate(initialValues));
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problems, setProblems] = useState<{ count: number; elsewhere: readonly FieldProblem[] }>();
  const [conflict, setConflict] = useState(false);
  const [failure, setFailure] = useState<string>();
  useUnsavedGuard(dirty && !saving);

  const hidden = new Set(evaluation.hidden);
  const required = new Set(evaluation.required);
  const readOnly = new Set(evaluation.readOnly);
  const title = localized(definition.label, locale);
  const place = { app, form };

  // A masked value holds `*`; only a user whose roles may unmask the field gets the control.
  const masked = (field: RuntimeField) => {
    const value = initialValues[field.key];
    return props.unmaskable.includes(field.key) && typeof value === 'string' && value.includes('*');
  };

  const showProblems = (list: readonly FieldProblem[]) => {
    const { onFields, elsewhere } = toFieldProblems(list, keys);
    antForm.setFields(
      onFields.map((entry) => ({ name: [...entry.name], errors: [...entry.errors] })),
    );
    setProblems({ count: list.length, elsewhere });
    const first = onFields[0];
    if (first) antForm.scrollToField([...first.name], { block: 'center', focus: true });
  };

  const submit = async () => {
    const values = antForm.getFieldsValue(true);
    const wire = toWireValues(fields, values);
    for (const key of hidden) delete wire[key];
    if (record) {
      // An update sends what changed; read-only and unchanged fields stay as stored.
      const before = toWireValues(fields, initialValues);
      for (const key of Object.keys(wire)) {
        if (JSON.stringify(wire[key]) === JSON.stringify(before[key])) delete wire[key];
      }
    }
    // Clear the previous errors, then check with the engine the server runs.
    antForm.setFields(keys.map((key) => ({ name: key, errors: [] })));
    setProblems(undefined);
    setFailure(undefined);
    const prepared = prepareRecordWrite(definition, {
      mode: record ? 'update' : 'create',
      input: wire,
      before: record?.values ?? null,
      context: { ...context, now: new Date() },
    });
    // Personal data left masked as loaded is no change on the server: not a malformed value.
    const echoes = record
      ? maskedEchoPaths(wire, toWireValues(fields, initialValues))
      : new Set<string>();
    const refused = prepared.ok ? [] : prepared.problems.filter((p) => !echoes.has(p.field));
    if (refused.length > 0) {
      showProblems(refused.map((p) => ({ field: p.field, reason: p.message[locale] })));
      return;
    }
    setSaving(true);
    try {
      const saved = record
        ? await updateRecord(api, app, form, record.id, record.version, wire, { unmask: 'none' })
        : await createRecord(api, app, form, wire);
      setDirty(false);
      void message.success(t('form.saved'));
      // Navigation waits a tick so the guard sees the saved state.
      setTimeout(() => navigate(recordPath(app, form, saved.id)), 0);
    } catch (error) {
      if (!isApiError(error)) throw error;
      if (error.status === 409) setConflict(true);
      else if (error.fields.length > 0) showProblems(error.fields);
      else setFailure(error.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="jny-form-page" aria-labelledby="jny-form-title">
      <header className="jny-page-header">
        <Typography.Title level={2} id="jny-form-title" className="jny-page-header__title">
          {record ? t('form.editTitle', { form: title }) : t('form.newTitle', { form: title })}
        </Typography.Title>
      </header>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          role="alert"
          title={t('form.conflictTitle')}
          description={t('form.conflict')}
          action={
            <Button
              onClick={() => {
                setDirty(false);
                setConflict(false);
                props.onReload();
              }}
            >
              {t('form.reload')}
            </Button>
          }
        />
      )}
      {problems && (
        <Alert
          className="jny-form-page__problems"
          type="error"
          showIcon
          role="alert"
          title={t('form.fixErrors', { count: problems.count })}
          {...(problems.elsewhere.length > 0
            ? { description: problems.elsewhere.map((p) => `${p.field}: ${p.reason}`).join('；') }
            : {})}
        />
      )}
      {failure && <Alert type="error" showIcon role="alert" title={failure} />}
      <Form<FormValues>
        form={antForm}
        layout="vertical"
        initialValues={initialValues}
        scrollToFirstError
        onValuesChange={(_, all) => {
          setDirty(true);
          setEvaluation(evaluate({ ...antForm.getFieldsValue(true), ...all }));
        }}
        onFinish={submit}
        className="jny-record-form"
      >
        {sectionsOf(definition, fields, locale).map((section) => (
          <fieldset key={section.key || 'main'} className="jny-panel jny-record-form__section">
            {section.label && <legend className="jny-record-form__legend">{section.label}</legend>}
            <Row gutter={16}>
              {section.fields.map((field) => {
                if (hidden.has(field.key)) return null;
                const span =
                  field.type === 'subform' || field.type === 'textarea'
                    ? 24
                    : (field.definition.layout?.span ?? 12);
                const label = localized(field.label, locale);
                const help = field.definition.help
                  ? localized(field.definition.help, locale)
                  : undefined;
                if (!field.input) {
                  const value =
                    field.key in evaluation.values
                      ? evaluation.values[field.key]
                      : record?.values[field.key];
                  return (
                    <Col key={field.key} xs={24} md={span}>
                      <Form.Item label={label} tooltip={t('form.computed')}>
                        <output className="jny-computed" data-field={field.key} aria-live="polite">
                          {formatValue(field, value, locale) || '—'}
                        </output>
                      </Form.Item>
                    </Col>
                  );
                }
                const disabled = readOnly.has(field.key) || saving;
                if (field.type === 'subform') {
                  return (
                    <Col key={field.key} span={24}>
                      <Form.Item
                        label={label}
                        required={required.has(field.key)}
                        {...(help ? { extra: help } : {})}
                      >
                        <SubformTable field={field} place={place} disabled={disabled} />
                      </Form.Item>
                    </Col>
                  );
                }
                return (
                  <Col key={field.key} xs={24} md={span}>
                    <Form.Item
                      name={field.key}
                      label={label}
                      required={required.has(field.key)}
                      valuePropName={valuePropName(field)}
                      {...(help ? { extra: help } : {})}
                    >
                      {masked(field) && record ? (
                        <MaskedInput
                          masked={{
                            ...place,
                            recordId: record.id,
                            field: field.key,
                            fieldLabel: label,
                          }}
                          disabled={disabled}
                        />
                      ) : (
                        fieldInput(field, place, disabled)
                      )}
                    </Form.Item>
                  </Col>
                );
              })}
            </Row>
          </fieldset>
        ))}
        <Space className="jny-form-page__actions">
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('form.save')}
          </Button>
          <Button
            onClick={() =>
              navigate(record ? recordPath(app, form, record.id) : formListPath(app, form))
            }
          >
            {t('form.cancel')}
          </Button>
        </Space>
      </Form>
    </section>
  );
}
