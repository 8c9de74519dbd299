import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combinePorts } from '../../src/storage/kysely/combine.js';
import { KyselyContext, type Db, type StoreShared } from '../../src/storage/kysely/context.js';

// kysely-store.ts builds the store as one class with every port's methods (combine.ts). Two
// ports with a method of the same name would shadow one another without a sound; a port whose
// methods live further up its prototype chain would lose them.

class First extends KyselyContext {
  async one(): Promise<string> {
    return `one ${this.inTransaction}`;
  }
}
class Second extends KyselyContext {
  async two(): Promise<boolean> {
    return this.db === (null as unknown as Db);
  }
}
class AlsoOne extends KyselyContext {
  async one(): Promise<string> {
    return 'other one';
  }
}
class SecondChild extends Second {
  async three(): Promise<number> {
    return 3;
  }
}

const shared = { dialect: {}, q: {}, cache: undefined } as unknown as StoreShared;

describe('combining storage ports', () => {
  it('gives one object every port’s methods, over one context', async () => {
    const Both = combinePorts([First, Second]);
    const both = new Both(null as unknown as Db, shared, true);
    assert.equal(await both.one(), 'one true');
    assert.equal(await both.two(), true);
    assert.equal(Object.getPrototypeOf(both).one, First.prototype.one, 'the port’s own function, not a wrapper');
  });

  it('refuses two ports defining the same method', () => {
    assert.throws(() => combinePorts([First, Second, AlsoOne]), /storage ports First and AlsoOne both define one/);
  });

  it('refuses a port that does not extend the context directly', () => {
    assert.throws(() => combinePorts([First, SecondChild]), /storage port SecondChild must extend KyselyContext directly/);
  });
});
