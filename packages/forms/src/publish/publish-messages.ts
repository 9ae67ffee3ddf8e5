import { formatText, type LocalizedText } from '@joinery/shared';
import type { PublishRefusal } from './publish-plan.ts';

const refusalText: Record<PublishRefusal['reason'], LocalizedText> = {
  formKeyChanged: {
    'zh-CN': '表单标识不能修改（{from} → {to}）',
    en: 'A form key cannot change ({from} → {to})',
  },
  versionNotNext: {
    'zh-CN': '新版本号应为 {expected}，实际为 {actual}',
    en: 'The next version must be {expected}, not {actual}',
  },
  fieldVanished: {
    'zh-CN': '字段“{field}”不能直接移除：请先标记为删除，再显式清除',
    en: 'The field "{field}" cannot just vanish: mark it deleted, then purge it explicitly',
  },
  purgeNotDeleted: {
    'zh-CN': '字段“{field}”未被删除，不能清除',
    en: 'The field "{field}" is not deleted and cannot be purged',
  },
  purgeStillPresent: {
    'zh-CN': '要清除字段“{field}”，新版本中不能再包含它',
    en: 'To purge the field "{field}", leave it out of the new version',
  },
  storageChanged: {
    'zh-CN': '字段“{field}”不能从 {from} 改为 {to}（存储方式不同）',
    en: 'The field "{field}" cannot change from {from} to {to} (different storage)',
  },
  relationTargetChanged: {
    'zh-CN': '关联字段“{field}”不能改为关联另一个表单',
    en: 'The relation "{field}" cannot point to another form',
  },
  typeChangeUnsupported: {
    'zh-CN': '字段“{field}”不能从 {from} 改为 {to}',
    en: 'The field "{field}" cannot change from {from} to {to}',
  },
  sensitiveTypeChange: {
    'zh-CN':
      '字段“{field}”加密存储时不能更改类型或设置（{from} → {to}）：请先取消敏感标记并发布，再改类型，然后重新标记',
    en: 'The field "{field}" cannot change its type or settings ({from} → {to}) while it is stored encrypted: publish it without "sensitive" first, change it, then mark it sensitive again',
  },
};

/** Builds a refusal with its message in both languages. */
export function refusal(
  reason: PublishRefusal['reason'],
  params: Readonly<Record<string, unknown>>,
  fieldId?: string,
): PublishRefusal {
  const text = refusalText[reason];
  const message = { 'zh-CN': formatText(text['zh-CN'], params), en: formatText(text.en, params) };
  return fieldId === undefined ? { reason, message } : { reason, message, fieldId };
}

/** A bilingual description of a step or a warning. */
export function describe(
  zh: string,
  en: string,
  params: Readonly<Record<string, unknown>>,
): LocalizedText {
  return { 'zh-CN': formatText(zh, params), en: formatText(en, params) };
}
