// Pod addresses `${prefix}${n}` for n in 2..254 (n = 1 is the node). Fresh addresses go first and
// freed ones are reused last, so a proxy's stale connection to a dead pod never lands on a new one.
import { ZdError } from '../../errors.js';

export interface AddressPool {
  take(): string;
  release(address: string): void;
}

export function createAddressPool(prefix: string, first = 2, last = 254): AddressPool {
  let next = first;
  const freed: string[] = [];
  const taken = new Set<string>();
  return {
    take() {
      const address = next <= last ? `${prefix}${next++}` : freed.shift();
      if (address === undefined) throw new ZdError('internal', `no free pod address left under ${prefix}*`);
      taken.add(address);
      return address;
    },
    release(address) {
      if (!taken.delete(address)) return;
      freed.push(address);
    },
  };
}
