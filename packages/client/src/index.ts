export { SmmApiClient } from './client.js';
export type { SmmApiClientOptions } from './client.js';
export {
  SmmApiError,
  SmmClientError,
  SmmHttpError,
  SmmNetworkError,
  SmmResponseError,
  SmmTimeoutError,
  isOutcomeUnknown,
} from './errors.js';
export type { SmmHttpErrorDetails } from './errors.js';
export { isDripFeedStatus, isItemError, isSubscriptionStatus } from './guards.js';
export { SUBSCRIPTION_DELAYS } from './order-params.js';
export type {
  AddOrderParams,
  CommentLikesOrder,
  CommentRepliesOrder,
  CustomCommentsOrder,
  CustomCommentsPackageOrder,
  DefaultOrder,
  InvitesFromGroupsOrder,
  MentionsCustomListOrder,
  MentionsHashtagOrder,
  MentionsMediaLikersOrder,
  MentionsOrder,
  MentionsUserFollowersOrder,
  MentionsWithHashtagsOrder,
  PackageOrder,
  PollOrder,
  SeoOrder,
  SubscriptionDelay,
  SubscriptionsOrder,
  TextLines,
} from './order-params.js';
export type { Sleep } from './retry-policy.js';
export type { FetchFunction } from './transport.js';
export { SERVICE_TYPES } from './types.js';
export type {
  AddOrderResult,
  AnyOrderStatus,
  Balance,
  CancelItem,
  DripFeedOrderStatus,
  ItemError,
  OpenString,
  OrderStatus,
  OrderStatusName,
  OrderStatuses,
  RefillItem,
  RefillResult,
  RefillStatusItem,
  RefillStatusName,
  RefillStatusResult,
  Service,
  ServiceType,
  SubscriptionStatus,
  SubscriptionStatusName,
} from './types.js';
