import type { Locale } from '@joinery/shared';
import { ApiError, isErrorBody } from './api-error.ts';

/** Texts the client needs for failures that carry no server message. */
export interface ClientMessages {
  /** No answer: the server is down or the network is gone. */
  network(): string;
  /** An answer that is not Joinery's JSON (a proxy's error page, say). */
  unexpected(status: number): string;
}

export interface ApiClientOptions {
  /** The UI language now; sent as `Accept-Language` so errors come back in it. */
  readonly locale: () => Locale;
  readonly messages: ClientMessages;
  /** Prefix of every path; the API lives on the same origin as the app. */
  readonly baseUrl?: string;
  /** Replaceable for tests. */
  readonly fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

const SAFE_METHODS: ReadonlySet<Method> = new Set(['GET']);

/**
 * Talks JSON to the Joinery server with the cookie session. It sends the UI language with every
 * request and the CSRF token with every state-changing one (the server refuses those without
 * it), and turns every failure — error body, garbage, no answer — into an {@link ApiError}.
 */
export class ApiClient {
  #csrfToken: string | undefined;
  readonly #unauthorizedListeners = new Set<() => void>();
  readonly #options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.#options = options;
  }

  /** Keeps the token from login or the session check for later state-changing requests. */
  setCsrfToken(token: string | undefined): void {
    this.#csrfToken = token;
  }

  /**
   * The CSRF token of the session, for requests the client does not send itself (file uploads
   * with progress go through antd's Upload, which needs the header).
   */
  csrfToken(): string | undefined {
    return this.#csrfToken;
  }

  /**
   * Calls `listener` whenever the server says the session is gone (401 JNY_AUTH_REQUIRED), so
   * the app can return to the login page from anywhere. Returns the unsubscribe function.
   */
  onUnauthorized(listener: () => void): () => void {
    this.#unauthorizedListeners.add(listener);
    return () => this.#unauthorizedListeners.delete(listener);
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, options);
  }

  put<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, options);
  }

  patch<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, options);
  }

  delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /**
   * Posts a multipart body (a file upload): the browser sets its content type and boundary.
   * Answers and failures are read as for JSON requests.
   */
  upload<T>(path: string, body: FormData): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  /**
   * Sends one request and resolves with the parsed JSON body (`undefined` for 204). The type
   * parameter is trusted, not checked: the server validates its own output by schema.
   */
  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#send(method, path, options, 'application/json');
    // 204 has no body; callers of such endpoints ask for `T = void`.
    if (response.status === 204) return undefined as T;

    const body = await readJson(response);
    if (response.ok && body.ok) return body.value as T;
    throw this.#toError(response.status, body.ok ? body.value : undefined);
  }

  /**
   * Sends a request whose answer is a file (an XLSX export, say) and resolves with its bytes and
   * the file name the server gave (`Content-Disposition`). A refusal is read as for JSON
   * requests: the server's error body, in the user's language.
   */
  async download(
    method: Method,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ blob: Blob; filename: string | undefined }> {
    const response = await this.#send(method, path, options, '*/*');
    if (!response.ok) {
      const body = await readJson(response);
      throw this.#toError(response.status, body.ok ? body.value : undefined);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1];
    return { blob: await response.blob(), filename };
  }

  /** One request with the language, CSRF token and body set; no answer is an ApiError. */
  async #send(
    method: Method,
    path: string,
    options: RequestOptions,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: accept,
      'Accept-Language': this.#options.locale(),
    };
    // A multipart body gets its content type (with the boundary) from the browser.
    const multipart = options.body instanceof FormData;
    if (options.body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
    if (!SAFE_METHODS.has(method) && this.#csrfToken) headers['x-csrf-token'] = this.#csrfToken;

    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (options.body instanceof FormData) init.body = options.body;
    else if (options.body !== undefined) init.body = JSON.stringify(options.body);
    if (options.signal) init.signal = options.signal;

    const doFetch = this.#options.fetch ?? fetch;
    try {
      return await doFetch(`${this.#options.baseUrl ?? ''}${path}`, init);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, 'JNY_SERVER_UNAVAILABLE', this.#options.messages.network());
    }
  }

  #toError(status: number, body: unknown): ApiError {
    if (!isErrorBody(body)) {
      const unavailable = status === 502 || status === 503 || status === 504;
      return unavailable
        ? new ApiError(status, 'JNY_SERVER_UNAVAILABLE', this.#options.messages.network())
        : new ApiError(status, 'JNY_SERVER_INTERNAL', this.#options.messages.unexpected(status));
    }
    const { code, message, fields } = body.error;
    if (status === 401 && code === 'JNY_AUTH_REQUIRED') {
      for (const listener of this.#unauthorizedListeners) listener();
    }
    return new ApiError(status, code, message, fields ?? []);
  }
}

type JsonResult = { ok: true; value: unknown } | { ok: false };

async function readJson(response: Response): Promise<JsonResult> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return { ok: false };
  try {
    return { ok: true, value: await response.json() };
  } catch {
    return { ok: false };
  }
}
