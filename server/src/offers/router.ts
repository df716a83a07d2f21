import { createOfferInput, offerIdInput, offerListInput, updateOfferInput } from "@laget/domain";
import { router, userProcedure } from "../trpc/init.ts";
import { archiveOffer, createOffer, getOffer, listOffers, offerAreas, updateOffer } from "./offers.ts";

/** The offers directory (DESIGN.md §7): the `offers` router. */
export const offersRouter = router({
  list: userProcedure.input(offerListInput).query(({ ctx, input }) => listOffers({ ...ctx, ...input })),
  get: userProcedure.input(offerIdInput).query(({ ctx, input }) => getOffer({ ...ctx, ...input })),
  create: userProcedure.input(createOfferInput).mutation(({ ctx, input }) => createOffer({ ...ctx, ...input })),
  update: userProcedure.input(updateOfferInput).mutation(({ ctx, input }) => updateOffer({ ...ctx, ...input })),
  archive: userProcedure.input(offerIdInput).mutation(({ ctx, input }) => archiveOffer({ ...ctx, ...input })),
  areas: userProcedure.query(({ ctx }) => offerAreas(ctx)),
});
