import type { Locale } from '@joinery/shared';
import { Badge, Menu, type MenuProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useLocale } from '../i18n/use-locale.ts';
import { type NavigationItem, selectedNavigationKey } from './navigation.ts';

type MenuItem = NonNullable<MenuProps['items']>[number];

function toMenuItem(item: NavigationItem, locale: Locale): MenuItem {
  const label = item.label[locale];
  const Icon = item.icon;
  const icon = Icon ? <Icon /> : undefined;
  if (item.children && item.children.length > 0) {
    return {
      key: item.key,
      icon,
      label,
      children: item.children.map((child) => toMenuItem(child, locale)),
    };
  }
  const text = item.badge ? <MenuBadge label={label} count={item.badge} /> : label;
  return { key: item.key, icon, label: item.path ? <Link to={item.path}>{text}</Link> : text };
}

/** A label with its count; the count's own name ("3 open tasks") is for screen readers. */
function MenuBadge(props: { readonly label: string; readonly count: number }) {
  const { t } = useTranslation();
  return (
    <span className="jny-menu-badge">
      {props.label}
      <Badge
        count={props.count}
        size="small"
        overflowCount={99}
        title={t('inbox.openCount', { count: props.count })}
        data-testid="open-task-count"
      />
    </span>
  );
}

/** The side menu, drawn from `navigation` alone; the entry matching the URL is selected. */
export function SideMenu({ navigation }: { readonly navigation: readonly NavigationItem[] }) {
  const { t } = useTranslation();
  const [locale] = useLocale();
  const { pathname } = useLocation();
  const selected = selectedNavigationKey(navigation, pathname);
  // Groups (the apps) start open; the user may close them, and new ones arrive open.
  const groups = navigation.filter((item) => item.children).map((item) => item.key);
  const [openKeys, setOpenKeys] = useState<string[]>(groups);
  const [known, setKnown] = useState<readonly string[]>(groups);
  const groupList = groups.join('\n');
  useEffect(() => {
    const current = groupList === '' ? [] : groupList.split('\n');
    const added = current.filter((key) => !known.includes(key));
    if (added.length === 0) return;
    setKnown(current);
    setOpenKeys((open) => [...open, ...added]);
  }, [groupList, known]);
  return (
    <nav aria-label={t('shell.menu')}>
      <Menu
        mode="inline"
        selectedKeys={selected ? [selected] : []}
        openKeys={openKeys}
        onOpenChange={setOpenKeys}
        items={navigation.map((item) => toMenuItem(item, locale))}
      />
    </nav>
  );
}
