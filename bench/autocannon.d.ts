// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called with each response's status on the connection that sent this request. */
      onResponse?: (status: number, body: string, context: object, headers: Record<string, string>) => void;
    }
    /** One connection; emits 'response' (status, bytes, latency in ms) after each response. */
    interface Client {
      on(event: 'response', listener: (status: number, bytes: number, ms: number) => void): void;
    }
  }
  interface Options {
    requests?: autocannon.Request[];
    url: string;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
    pipelining?: number;
    setupClient?: (client: autocannon.Client) => void;
  }
  interface Result {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; max: number };
    '5xx': number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }
  function autocannon(opts: Options): Promise<Result>;
  export default autocannon;
}
