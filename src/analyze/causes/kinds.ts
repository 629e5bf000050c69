// What each failure kind means during a rollout: work cut while in flight, a request the server never
// took, or a proxy's own answer. HTTP/2 and gRPC kinds map onto the HTTP/1.1 ones they stand for.

/**
 * Cut while in flight: the connection or stream broke under a request the server had taken.
 * `stream-reset` is RST_STREAM mid-request (HTTP/2's reset); gRPC CANCELLED is a stream the server or a
 * proxy cancelled (RST_STREAM CANCEL, e.g. a server stopped without draining); gRPC UNAVAILABLE is what
 * grpc-js reports when the connection drops under a call, and what Envoy's 503 (UC) becomes for gRPC.
 */
const CUT: ReadonlySet<string> = new Set(['reset', 'stream-reset', 'CANCELLED', 'UNAVAILABLE', '502', '503', '504', 'timeout', 'DEADLINE_EXCEEDED', 'other']);

/**
 * Never taken: the server refused the request before any work. `refused-stream` (REFUSED_STREAM) says the
 * stream was not processed, like a refused connect; `goaway` is a stream the server stopped taking when it
 * began shutting the connection down (a graceful server finishes the streams it took).
 */
const NOT_TAKEN: ReadonlySet<string> = new Set(['refused', 'refused-stream', 'goaway']);

/** Work cut in flight (abrupt-shutdown, grace-period-exceeded). */
export const isCut = (kind: string): boolean => CUT.has(kind);

/** A request the server never took. */
export const isNotTaken = (kind: string): boolean => NOT_TAKEN.has(kind);

/** Anything that says a pod could not serve: never taken, or cut (not-ready-traffic). */
export const isServingFailure = (kind: string): boolean => CUT.has(kind) || NOT_TAKEN.has(kind);

/**
 * What a proxy answers itself when its pooled upstream connection closes under a request: nginx and
 * Traefik 502, Envoy 503 (UC), which a gRPC client sees as UNAVAILABLE.
 */
export const isProxyUpstreamClose = (kind: string): boolean => kind === '502' || kind === '503' || kind === 'UNAVAILABLE';

/** Kinds only a proxy in the path can produce when an upstream fails: an L7 answer, not the client's own connection. */
export const isProxyAnswer = (kind: string): boolean => kind === '502' || kind === '503' || kind === '504';

/** The client's own connection or stream broke: no L7 proxy answered for the pod. */
export const isConnectionFailure = (kind: string): boolean => kind === 'reset' || kind === 'refused' || kind === 'stream-reset' || kind === 'refused-stream' || kind === 'goaway';
