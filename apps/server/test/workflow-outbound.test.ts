import { describe, expect, it } from 'vitest';
import { callWebhook, OutboundPolicy } from '../src/workflow/outbound-webhook.ts';

// Workflow webhooks must not become a way into the private network (SSRF): private, loopback
// and link-local destinations are refused after DNS resolution unless allow-listed.

const refused = (promise: Promise<unknown>) =>
  expect(promise).rejects.toMatchObject({ code: 'JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED' });

describe('the outbound policy of webhooks', () => {
  const strict = new OutboundPolicy([]);

  it('refuses private, loopback, link-local and mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
    ]) {
      expect(() => strict.check('host', address), address).toThrow(/refused/);
    }
    expect(() => strict.check('example.com', '93.184.216.34')).not.toThrow();
    expect(() => strict.check('example.com', '2606:2800:220:1:248:1893:25c8:1946')).not.toThrow();
  });

  it('resolves names first: a name that points at a private address is refused', async () => {
    await refused(callWebhook(strict, { url: 'http://localhost:9/x', method: 'POST', body: {} }));
    await refused(callWebhook(strict, { url: 'http://127.0.0.1:9/x', method: 'POST', body: {} }));
    await refused(callWebhook(strict, { url: 'http://[::1]:9/x', method: 'GET', body: null }));
    await refused(callWebhook(strict, { url: 'file:///etc/passwd', method: 'GET', body: null }));
  });

  it('lets allow-listed hosts and ranges through', () => {
    const allowed = new OutboundPolicy(['hooks.internal', '10.1.0.0/16', '127.0.0.1']);
    expect(() => allowed.check('hooks.internal', '192.168.5.5')).not.toThrow();
    expect(() => allowed.check('x', '10.1.9.9')).not.toThrow();
    expect(() => allowed.check('x', '127.0.0.1')).not.toThrow();
    expect(() => allowed.check('x', '10.2.0.1')).toThrow(/refused/);
  });
});
