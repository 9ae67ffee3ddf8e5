import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale.ts';
import { localized, type RuntimeField } from '../field-model.ts';
import { formatValue } from '../format-value.ts';
import { fieldInput, type InputPlace, valuePropName } from './field-input.tsx';

/**
 * A subform as an editable table: one row per child record, one cell per row field (computed
 * ones shown, not edited), add and remove buttons. Rows are antd `Form.List` items, so the
 * validator's row paths (`guarantors/0/name`) land on the cell they name.
 */
export function SubformTable(props: {
  readonly field: RuntimeField;
  readonly place: InputPlace;
  readonly disabled: boolean;
}) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { field } = props;
  const columns = field.rows;
  return (
    <Form.List name={field.key}>
      {(rows, { add, remove }) => (
        <div className="jny-subform">
          <table className="jny-subform__table" aria-label={localized(field.label, locale)}>
            <thead>
              <tr>
                <th scope="col" className="jny-subform__index">
                  #
                </th>
                {columns.map((column) => (
                  <th key={column.key} scope="col">
                    {localized(column.label, locale)}
                    {column.definition.validations?.required && (
                      <span className="jny-subform__required" aria-hidden>
                        {' '}
                        *
                      </span>
                    )}
                  </th>
                ))}
                <th scope="col" className="jny-subform__actions" aria-label={t('form.removeRow')} />
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key}>
                  <td className="jny-subform__index">{row.name + 1}</td>
                  {columns.map((column) => (
                    <td key={column.key}>
                      {column.input ? (
                        <Form.Item
                          name={[row.name, column.key]}
                          valuePropName={valuePropName(column)}
                          className="jny-subform__cell"
                          aria-label={`${localized(column.label, locale)} · ${t('form.rowNumber', { n: row.name + 1 })}`}
                        >
                          {fieldInput(column, props.place, props.disabled)}
                        </Form.Item>
                      ) : (
                        <Form.Item noStyle shouldUpdate>
                          {(form) =>
                            formatValue(
                              column,
                              form.getFieldValue([field.key, row.name, column.key]),
                              locale,
                            )
                          }
                        </Form.Item>
                      )}
                    </td>
                  ))}
                  <td className="jny-subform__actions">
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={`${t('form.removeRow')} ${row.name + 1}`}
                      disabled={props.disabled}
                      onClick={() => remove(row.name)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({})}
            disabled={props.disabled}
            block
          >
            {t('form.addRow')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
