import { KyselyContext, type Db, type PortClass, type StoreShared } from './context.js';

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The class of an object that is every one of `ports` at once. */
export type Combined<P extends readonly PortClass[]> = new (db: Db, shared: StoreShared, inTransaction: boolean) => Intersection<InstanceType<P[number]>>;

/**
 * One class with the methods of every port: the same function objects, copied once when the
 * module loads, so a call costs what a call on the port's own class would, and a store or a
 * transaction is one object (no per-port objects, no bound functions, no forwarding). Two ports
 * defining the same method name would silently shadow one another; that throws here instead.
 */
export function combinePorts<const P extends readonly PortClass[]>(ports: P): Combined<P> {
  class Repos extends KyselyContext {}
  const owner = new Map<string, string>();
  for (const port of ports) {
    // Only methods on the port's own prototype are copied: a port extending another port, or
    // keeping state in class fields, would lose it here.
    if (Object.getPrototypeOf(port.prototype) !== KyselyContext.prototype) throw new Error(`storage port ${port.name} must extend KyselyContext directly`);
    for (const name of Object.getOwnPropertyNames(port.prototype)) {
      if (name === 'constructor') continue;
      const earlier = owner.get(name);
      if (earlier !== undefined) throw new Error(`storage ports ${earlier} and ${port.name} both define ${name}`);
      owner.set(name, port.name);
      Object.defineProperty(Repos.prototype, name, Object.getOwnPropertyDescriptor(port.prototype, name) as PropertyDescriptor);
    }
  }
  return Repos as unknown as Combined<P>;
}
