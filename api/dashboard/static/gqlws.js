// A graphql-transport-ws client (the protocol strawberry speaks), small enough to read in one go.
// Reconnects with backoff; every subscription is re-sent after a reconnect, and each one
// starts with the current value, so the page resynchronises by itself.
export class GraphQLWs {
  constructor(url, { connectionParams = {}, onState = () => {} } = {}) {
    this.url = url;
    this.connectionParams = connectionParams;
    this.onState = onState;
    this.subs = new Map();
    this.nextId = 1;
    this.retry = 0;
    this.closed = false;
    this.connect();
  }

  connect() {
    this.ws = new WebSocket(this.url, "graphql-transport-ws");
    this.acked = false;
    this.ws.onopen = () => this.send({ type: "connection_init", payload: this.connectionParams });
    this.ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    this.ws.onclose = (event) => {
      this.acked = false;
      if (this.closed) return;
      if (event.code === 4403) { this.onState("forbidden", event.reason); return; }
      this.onState("closed");
      const delay = Math.min(1000 * 2 ** this.retry++, 15000);
      setTimeout(() => this.connect(), delay);
    };
  }

  receive(message) {
    const sub = this.subs.get(message.id);
    switch (message.type) {
      case "connection_ack":
        this.acked = true;
        this.retry = 0;
        this.onState("open");
        for (const [id, s] of this.subs) this.start(id, s);
        break;
      case "ping": this.send({ type: "pong" }); break;
      case "next": if (sub) sub.sink.next(message.payload); break;
      case "error": if (sub) sub.sink.error(message.payload); break;
      case "complete": this.subs.delete(message.id); break;
    }
  }

  subscribe(query, variables, sink) {
    const id = String(this.nextId++);
    const sub = { query, variables, sink };
    this.subs.set(id, sub);
    if (this.acked) this.start(id, sub);
    return () => {
      this.subs.delete(id);
      if (this.acked) this.send({ id, type: "complete" });
    };
  }

  start(id, sub) {
    this.send({ id, type: "subscribe", payload: { query: sub.query, variables: sub.variables } });
  }

  send(message) {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  close() {
    this.closed = true;
    this.ws.close(1000);
  }
}
