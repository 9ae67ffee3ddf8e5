import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { JoineryError } from '@joinery/shared';

/** Addresses a webhook may not reach unless allow-listed: private, loopback, link-local… */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/**
 * The outbound policy: which destinations webhooks may reach. Host names are resolved first and
 * every address they resolve to is checked; the connection then goes to the checked address (no
 * second lookup an attacker's DNS could answer differently).
 */
export class OutboundPolicy {
  readonly #hosts = new Set<string>();
  readonly #allowed = new BlockList();

  /** `allowlist`: host names, IP addresses or CIDR ranges (`10.1.0.0/16`). */
  constructor(allowlist: readonly string[]) {
    for (const entry of allowlist) {
      const [address, bits] = entry.split('/');
      const family = address ? isIP(address) : 0;
      if (address && family !== 0) {
        const type = family === 4 ? 'ipv4' : 'ipv6';
        if (bits === undefined) this.#allowed.addAddress(address, type);
        else this.#allowed.addSubnet(address, Number(bits), type);
      } else {
        this.#hosts.add(entry.toLowerCase());
      }
    }
  }

  /** Refuses (`JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED`) an address that is not allowed. */
  check(host: string, address: string): void {
    if (this.#hosts.has(host.toLowerCase())) return;
    const family = isIP(address);
    if (family === 0) refuse(`${address} is not an IP address`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const mapped =
      type === 'ipv6' ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
    if (mapped !== undefined) {
      this.check(host, mapped);
      return;
    }
    if (this.#allowed.check(address, type)) return;
    if (BLOCKED.check(address, type)) {
      refuse(`${host} resolves to ${address}, a private, loopback or link-local address`);
    }
  }

  /** A `lookup` for http(s).request that resolves, checks every address, and returns one. */
  lookupFor(host: string): LookupFunction {
    return (hostname, options, callback) => {
      lookup(hostname, { all: true })
        .then((addresses) => {
          for (const a of addresses) this.check(host, a.address);
          const first = addresses[0];
          if (first === undefined) throw refuseError(`${hostname} does not resolve`);
          if (typeof options === 'object' && options.all) callback(null, addresses);
          else callback(null, first.address, first.family);
        })
        .catch((error: Error) => callback(error, '', 0));
    };
  }
}

/** The answer of a webhook call. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * Calls a webhook under `policy`: http(s) only, address checked after resolution (literal IPs
 * too), 10-second timeout, answer body up to 1 MiB parsed as JSON when it is JSON.
 */
export async function callWebhook(
  policy: OutboundPolicy,
  call: { url: string; method: string; body: unknown },
): Promise<WebhookAnswer> {
  let url: URL;
  try {
    url = new URL(call.url);
  } catch {
    throw refuseError(`${call.url} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuseError(`only http and https are allowed, not ${url.protocol}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) policy.check(host, host);
  const payload = call.method === 'GET' ? undefined : JSON.stringify(call.body ?? null);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookAnswer>((resolve, reject) => {
    const request = send(
      url,
      {
        method: call.method,
        lookup: policy.lookupFor(host),
        timeout: 10_000,
        headers: {
          'user-agent': 'Joinery-Webhook/1',
          ...(payload === undefined
            ? {}
            : {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }),
        },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 1024 * 1024) request.destroy(new Error('webhook answer too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text.length > 0 ? JSON.parse(text) : null;
          } catch {
            // Not JSON: kept as text.
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('webhook timed out')));
    request.on('error', reject);
    request.end(payload);
  });
}

function refuseError(reason: string): JoineryError {
  return new JoineryError('JNY_WORKFLOW_RUNTIME_WEBHOOK_REFUSED', { reason });
}

function refuse(reason: string): never {
  throw refuseError(reason);
}
