import { CheckSquareOutlined, HomeOutlined } from '@ant-design/icons';
import type { LocalizedText } from '@joinery/shared';
import { i18n } from '../i18n/i18n.ts';
import { INBOX_PATH } from '../inbox/inbox-paths.ts';
import type { NavigationItem } from './navigation.ts';

/** A built-in page's label, taken from the i18n resources so every string stays in them. */
function builtInLabel(key: 'nav.home' | 'nav.inbox'): LocalizedText {
  return { 'zh-CN': i18n.getFixedT('zh-CN')(key), en: i18n.getFixedT('en')(key) };
}

/** The entries every signed-in user sees, before any app's menus; the inbox with its count. */
export function builtInNavigation(openTasks?: number): readonly NavigationItem[] {
  return [
    { key: 'home', label: builtInLabel('nav.home'), path: '/', icon: HomeOutlined },
    {
      key: 'inbox',
      label: builtInLabel('nav.inbox'),
      path: INBOX_PATH,
      icon: CheckSquareOutlined,
      ...(openTasks === undefined ? {} : { badge: openTasks }),
    },
  ];
}
