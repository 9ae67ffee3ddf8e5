/**
 * The API as an admin, for browser tests to set up what the page under test needs (apps,
 * forms, records) without clicking through a designer. Node's fetch, the session cookie and the
 * CSRF token kept by hand.
 */
export class AdminApi {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
  ) {}

  /**
   * Signs in as `admin` with the test server's password — or as `username`, for a test that
   * checks what another user gets (their inbox, their notifications).
   */
  static async signIn(baseUrl: string, password: string, username = 'admin'): Promise<AdminApi> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok)
      throw new Error(`${username} sign-in failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.getSetCookie?.() ?? [])
      .map((line) => line.split(';')[0])
      .join('; ');
    return new AdminApi(baseUrl, cookie, body.csrfToken);
  }

  /** One JSON request; throws with the server's answer unless it is 2xx. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.csrfToken,
      'accept-language': 'en',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Creates an app, saves and publishes each form definition in order. */
  async publishApp(
    app: { key: string; label: { 'zh-CN': string; en: string } },
    forms: readonly { readonly key: string; readonly [setting: string]: unknown }[],
  ): Promise<void> {
    await this.request('POST', '/api/apps', app);
    for (const form of forms) {
      await this.request('PUT', `/api/apps/${app.key}/forms/${form.key}/draft`, form);
      await this.request('POST', `/api/apps/${app.key}/forms/${form.key}/publish`);
    }
  }

  /** Creates a user with a password and, when given, these roles; answers the user's id. */
  async createUser(user: {
    username: string;
    displayName: string;
    password: string;
    roleIds?: readonly string[];
  }): Promise<string> {
    const { roleIds, ...fields } = user;
    const { id } = await this.request<{ id: string }>('POST', '/api/users', fields);
    if (roleIds) await this.request('PUT', `/api/users/${id}/roles`, { roleIds });
    return id;
  }

  /** Creates records through the bulk endpoint, at most 1000 per request. */
  async createRecords(app: string, form: string, values: readonly Record<string, unknown>[]) {
    const ids: string[] = [];
    for (let start = 0; start < values.length; start += 1000) {
      const chunk = values.slice(start, start + 1000);
      const result = await this.request<{ created: { id: string }[] }>(
        'POST',
        `/api/apps/${app}/forms/${form}/records/bulk`,
        { create: chunk.map((v) => ({ values: v })) },
      );
      ids.push(...result.created.map((r) => r.id));
    }
    return ids;
  }
}
