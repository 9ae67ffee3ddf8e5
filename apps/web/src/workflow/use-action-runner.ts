import { App as AntApp } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-error.ts';

/**
 * Runs one workflow action at a time: `busy` names the running one (for its button's spinner),
 * and a refusal shows the server's message — already in the user's language, the server
 * localises by `Accept-Language` — or a generic one when no answer came. `run` resolves true
 * when the action was done.
 */
export function useActionRunner<Name extends string>() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState<Name | undefined>();
  const run = async (name: Name, act: () => Promise<unknown>): Promise<boolean> => {
    setBusy(name);
    try {
      await act();
      return true;
    } catch (error) {
      message.error(isApiError(error) ? error.message : t('errors.title'));
      return false;
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, run };
}
