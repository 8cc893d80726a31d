// The WebSocket channel's JSON-RPC 2.0, signed in with the access token.

export class Rpc {
  /** token(fresh): the access token to connect with; fresh is true on a reconnect (the old one may have expired). */
  constructor(token) {
    this.token = token;
    this.opened = 0;
    this.next = 1;
    this.pending = new Map();
    this.ready = null;
  }

  /** Opens the connection and authenticates (once; later calls share it). */
  open() {
    this.ready ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      const token = this.token(this.opened++ > 0);
      this.ws = ws;
      ws.onopen = async () => this.send('connect', { token: await token, client_id: 'console' }).then(resolve, reject);
      ws.onmessage = (e) => this.receive(JSON.parse(e.data));
      ws.onclose = (e) => {
        this.ready = null;
        const error = new Error(e.reason || `connection closed (${e.code})`);
        reject(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      };
    });
    return this.ready;
  }

  send(method, params, onEvent) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Calls method; onEvent(params) gets the event notifications of this request (the streamed pieces). */
  async call(method, params, onEvent) {
    await this.open();
    return this.send(method, params, onEvent);
  }

  receive(msg) {
    if (msg.method === 'event') {
      this.pending.get(msg.params?.request_id)?.onEvent?.(msg.params);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else p.resolve(msg.result);
  }

  close() { this.ws?.close(1000); }
}
