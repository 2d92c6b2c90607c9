import type { PublicPage } from './public-site.js';

/**
 * The built-in bodies of the public pages, in English, shown until the admin writes a page in the
 * visitor's language or in the panel's default language (Admin › Pages). Generic on purpose: an
 * owner should replace them with their own terms before taking payments. `{panel}` is replaced by
 * the panel's name.
 */
export const DEFAULT_PAGE_BODIES: { readonly [P in PublicPage]: string } = {
  home: `- **Fast start**: most orders begin within minutes of being placed.
- **Fair prices**: every price is listed per 1000, with the minimum and maximum order.
- **Refills and cancels** where a service offers them, from your order list.
- **API v2** for resellers: the same API the big panels speak.
- **Support** by ticket, answered by people.

_This text is the default: the panel owner edits it in Admin › Pages._`,
  prices: `Prices are per 1000 units in the panel's currency. Your own prices may differ once you sign in.`,
  blog: '',
  terms: `_These are default terms: the panel owner edits them in Admin › Pages._

## 1. The service
{panel} sells social media marketing services (followers, likes, views, comments and the like) delivered by our own systems and by partner providers. By creating an account or placing an order you accept these terms.

## 2. Your account
You are responsible for your account and for keeping your password and API keys secret. One person or company per account. You must be old enough to enter a contract where you live.

## 3. Orders
Enter links and quantities carefully: an order is started as soon as it is placed. We do not guarantee results such as engagement or sales. Services must not be used for anything unlawful or against the rules of the platform concerned; we may refuse or stop an order that is.

## 4. Payments and balance
Funds added to your balance are used to pay for orders. Prices may change; an order is charged at the price shown when it is placed. See the Refund policy for refunds.

## 5. Changes
We may change these terms; the version on this page applies from the day it is published.`,
  privacy: `_This is a default privacy policy: the panel owner edits it in Admin › Pages._

## What we collect
Your username, your email address, the orders you place (links, quantities) and your payments. Our server logs the requests it answers, with their time and address, to keep the service secure.

## Why
To run your account, fulfil your orders, take payments, prevent abuse and answer your tickets.

## Who sees it
Order details are passed to the provider who delivers the order; payments go through the payment processor you choose. We sell no personal data.

## Cookies
One cookie keeps you signed in, one remembers your language; a referral link sets one cookie to credit the person who referred you. No advertising or tracking cookies.

## Your rights
You may ask for a copy of your data, or for it to be corrected or deleted, by opening a ticket.`,
  'refund-policy': `_This is a default refund policy: the panel owner edits it in Admin › Pages._

- An order that is **canceled** before delivery starts is refunded in full to your balance.
- An order that is **partially** delivered is refunded for the part not delivered.
- Services marked with a refill guarantee are refilled on request within their refill period instead of refunded.
- Funds added to your balance are not refunded to your payment method once they have been used for orders; unused funds may be refunded on request, less the payment processor's fees.
- Opening a chargeback or dispute for a payment suspends the account until it is settled.

Open a ticket for any question about a refund.`,
  faq: `_These are default questions: the panel owner edits them in Admin › Pages._

### How do I place an order?
Sign up, add funds, choose a service, paste the link and the quantity, and place the order.

### How long does delivery take?
Most services start within minutes; the price list shows each service's average time where it is known.

### What if an order is not delivered in full?
The part not delivered is refunded to your balance automatically.

### Do you have an API?
Yes: the standard API v2, described on the API page once you sign in.

### How do I contact support?
Open a ticket from your account.`,
};
