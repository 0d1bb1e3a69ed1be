// /v1.0/subscriptions (placeholder until the subscriptions slice lands).
import { graphErrorResponse, type RequestContext } from './http.ts';

export class SubscriptionRoutes {
  handle(ctx: RequestContext, _tenantId: string, _id: string | undefined): Response {
    return graphErrorResponse(
      ctx,
      501,
      'NotImplemented',
      'Subscriptions are not served by this twin build yet.',
    );
  }
}
