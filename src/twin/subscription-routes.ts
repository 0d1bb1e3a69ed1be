// /v1.0/subscriptions: create (with the validation handshake), list, get, renew (PATCH) and delete.
import { graphErrorResponse, jsonResponse, type RequestContext } from './http.ts';
import { isRefusal, type Refusal, type SubscriptionInput } from './subscription-input.ts';
import type { Subscriptions, TwinSubscription } from './subscriptions.ts';

function subscriptionJson(sub: TwinSubscription): Record<string, unknown> {
  return {
    id: sub.id,
    resource: sub.resource,
    applicationId: sub.applicationId,
    changeType: sub.changeType,
    clientState: sub.clientState,
    notificationUrl: sub.notificationUrl,
    notificationQueryOptions: null,
    notificationContentType: null,
    lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    expirationDateTime: new Date(sub.expirationMs).toISOString(),
    creatorId: sub.applicationId,
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

export class SubscriptionRoutes {
  constructor(private readonly subscriptions: Subscriptions) {}

  private async body(ctx: RequestContext): Promise<SubscriptionInput | Response> {
    try {
      const parsed: unknown = JSON.parse(await ctx.req.text());
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as SubscriptionInput;
    } catch {
      // fall through to the error below
    }
    return graphErrorResponse(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  }

  async handle(
    ctx: RequestContext,
    tenantId: string,
    appId: string,
    id: string | undefined,
  ): Promise<Response> {
    const base = `${ctx.origin}/v1.0`;
    const one = (sub: TwinSubscription, status = 200) =>
      jsonResponse(
        { '@odata.context': `${base}/$metadata#subscriptions/$entity`, ...subscriptionJson(sub) },
        status,
      );
    const refusal = (r: Refusal) => graphErrorResponse(ctx, r.status, r.code, r.message);
    const method = ctx.req.method;
    if (id === undefined) {
      if (method === 'GET')
        return jsonResponse({
          '@odata.context': `${base}/$metadata#subscriptions`,
          value: this.subscriptions.list(tenantId).map(subscriptionJson),
        });
      if (method !== 'POST')
        return graphErrorResponse(ctx, 405, 'BadRequest', `${method} is not allowed on /subscriptions.`);
      const input = await this.body(ctx);
      if (input instanceof Response) return input;
      const created = await this.subscriptions.create(tenantId, appId, input);
      return isRefusal(created) ? refusal(created) : one(created, 201);
    }
    const sub = this.subscriptions.get(tenantId, id);
    if (!sub)
      return graphErrorResponse(
        ctx,
        404,
        'ResourceNotFound',
        `The object was not found: subscription '${id}'.`,
      );
    if (method === 'GET') return one(sub);
    if (method === 'DELETE') {
      this.subscriptions.remove(sub.id);
      return jsonResponse(null, 204);
    }
    if (method === 'PATCH') {
      const input = await this.body(ctx);
      if (input instanceof Response) return input;
      const renewed = this.subscriptions.renew(sub, input.expirationDateTime);
      return isRefusal(renewed) ? refusal(renewed) : one(renewed);
    }
    return graphErrorResponse(ctx, 405, 'BadRequest', `${method} is not allowed on a subscription.`);
  }
}
