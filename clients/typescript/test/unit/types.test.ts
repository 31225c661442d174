import { describe, expectTypeOf, it } from 'vitest';
import type { AuctionView, BidView } from '../../src/rest';
import type { Auction, Bid } from '../../src/types';

// The socket's hand-written wire types must accept what the REST API (generated from the server's
// OpenAPI document) returns: if the server changes an auction or bid field, this stops compiling.
describe('wire types', () => {
  it('a REST auction is a socket auction', () => {
    expectTypeOf<AuctionView>().toExtend<Auction>();
  });
  it('a REST bid is a socket bid', () => {
    expectTypeOf<BidView>().toExtend<Bid>();
  });
});
