// What every controller gets from startControllers: clients, the shared informers, error sink.
import type { Clients, Informers } from './kube.js';

export interface ControllerContext {
  clients: Clients;
  informers: Informers;
  onError: (err: unknown, where: string) => void;
  resyncMs: number;
}
