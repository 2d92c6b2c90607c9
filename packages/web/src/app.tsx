import type { Permission, SessionAnswer } from '@smmkit/contract';
import { type ReactNode, Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { api, onMutation, setCsrfToken } from './api.js';
import { Alert } from './components/ui.js';
import { Link, navigate, useLocation } from './router.js';
import { SessionContext, type SessionState, useMoney, useSession } from './session.js';
import { errorText } from './hooks.js';
import { useTranslation } from 'react-i18next';
import { showLanguage } from './i18n.js';
import { LanguagePicker } from './components/language-picker.js';
import { LoginPage, SignupPage } from './pages/client/auth.js';
import { DashboardPage } from './pages/client/dashboard.js';
import { NewOrderPage } from './pages/client/new-order.js';
import { OrdersPage } from './pages/client/orders.js';
import { RefillsPage } from './pages/client/refills.js';
import { ServicesPage } from './pages/client/services.js';
import { FundsPage } from './pages/client/funds.js';
import { AddFundsPage } from './pages/client/add-funds.js';
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from './pages/client/recovery.js';
import { applyBranding } from './brand.js';

/**
 * Customer pages seldom opened first are chunks of their own too (the Security page's QR code library
 * among them): the first page loads the dashboard, ordering and lists only.
 */
const MassOrderPage = lazy(() =>
  import('./pages/client/mass-order.js').then((m) => ({ default: m.MassOrderPage })),
);
const ApiPage = lazy(() => import('./pages/client/api-page.js').then((m) => ({ default: m.ApiPage })));
const AccountPage = lazy(() => import('./pages/client/account.js').then((m) => ({ default: m.AccountPage })));
const TicketsPage = lazy(() => import('./pages/client/tickets.js').then((m) => ({ default: m.TicketsPage })));
const TicketPage = lazy(() => import('./pages/client/tickets.js').then((m) => ({ default: m.TicketPage })));
const SecurityPage = lazy(() =>
  import('./pages/client/security.js').then((m) => ({ default: m.SecurityPage })),
);
const WebhooksPage = lazy(() =>
  import('./pages/client/webhooks.js').then((m) => ({ default: m.WebhooksPage })),
);
const UpdatesPage = lazy(() => import('./pages/client/updates.js').then((m) => ({ default: m.UpdatesPage })));
const AffiliatesPage = lazy(() =>
  import('./pages/client/affiliates.js').then((m) => ({ default: m.AffiliatesPage })),
);

/** The admin's pages are their own chunks, loaded only when an admin opens them: never for customers. */
const AdminDashboardPage = lazy(() =>
  import('./pages/admin/dashboard.js').then((m) => ({ default: m.AdminDashboardPage })),
);
const AdminUsersPage = lazy(() =>
  import('./pages/admin/users.js').then((m) => ({ default: m.AdminUsersPage })),
);
const AdminServicesPage = lazy(() =>
  import('./pages/admin/services.js').then((m) => ({ default: m.AdminServicesPage })),
);
const AdminProvidersPage = lazy(() =>
  import('./pages/admin/providers.js').then((m) => ({ default: m.AdminProvidersPage })),
);
const AdminOrdersPage = lazy(() =>
  import('./pages/admin/orders.js').then((m) => ({ default: m.AdminOrdersPage })),
);
const AdminRefillsPage = lazy(() =>
  import('./pages/admin/refills.js').then((m) => ({ default: m.AdminRefillsPage })),
);
const AdminDeliveryPage = lazy(() =>
  import('./pages/admin/delivery.js').then((m) => ({ default: m.AdminDeliveryPage })),
);
const AdminSubscriptionsPage = lazy(() =>
  import('./pages/admin/subscriptions.js').then((m) => ({ default: m.AdminSubscriptionsPage })),
);
const AdminAuditPage = lazy(() =>
  import('./pages/admin/audit.js').then((m) => ({ default: m.AdminAuditPage })),
);
const AdminCurrenciesPage = lazy(() =>
  import('./pages/admin/currencies.js').then((m) => ({ default: m.AdminCurrenciesPage })),
);
const AdminSettingsPage = lazy(() =>
  import('./pages/admin/settings.js').then((m) => ({ default: m.AdminSettingsPage })),
);
const AdminPaymentsPage = lazy(() =>
  import('./pages/admin/payments.js').then((m) => ({ default: m.AdminPaymentsPage })),
);
const AdminTicketsPage = lazy(() =>
  import('./pages/admin/tickets.js').then((m) => ({ default: m.AdminTicketsPage })),
);
const AdminAnnouncementsPage = lazy(() =>
  import('./pages/admin/announcements.js').then((m) => ({ default: m.AdminAnnouncementsPage })),
);
const AdminAffiliatesPage = lazy(() =>
  import('./pages/admin/affiliates.js').then((m) => ({ default: m.AdminAffiliatesPage })),
);
const AdminPagesPage = lazy(() =>
  import('./pages/admin/pages.js').then((m) => ({ default: m.AdminPagesPage })),
);
const AdminTicketPage = lazy(() =>
  import('./pages/admin/tickets.js').then((m) => ({ default: m.AdminTicketPage })),
);

/** The client area's pages, each named by its key in the `common` catalogue (nav.*). */
const CLIENT_NAV = [
  ['/', 'dashboard'],
  ['/new-order', 'newOrder'],
  ['/mass-order', 'massOrder'],
  ['/orders', 'orders'],
  ['/refills', 'refills'],
  ['/services', 'services'],
  ['/updates', 'updates'],
  ['/funds', 'funds'],
  ['/add-funds', 'addFunds'],
  ['/affiliates', 'affiliates'],
  ['/api-keys', 'api'],
  ['/security', 'security'],
  ['/webhooks', 'webhooks'],
  ['/tickets', 'tickets'],
  ['/account', 'account'],
] as const;

/**
 * Each admin page with the permission it needs: a role sees only the pages it may use. The admin area
 * is in English, whatever language the client area is shown in.
 */
const ADMIN_NAV: readonly (readonly [string, string, Permission])[] = [
  ['/admin', 'Dashboard', 'dashboard.read'],
  ['/admin/users', 'Users', 'users.read'],
  ['/admin/services', 'Services', 'services.read'],
  ['/admin/providers', 'Providers', 'providers.read'],
  ['/admin/currencies', 'Currencies', 'providers.read'],
  ['/admin/orders', 'Orders', 'orders.read'],
  ['/admin/refills', 'Refills', 'orders.read'],
  ['/admin/delivery', 'Delivery', 'orders.read'],
  ['/admin/subscriptions', 'Subscriptions', 'orders.read'],
  ['/admin/audit', 'Audit log', 'audit.read'],
  ['/admin/settings', 'Settings', 'settings.write'],
  ['/admin/payments', 'Payments', 'payments.read'],
  ['/admin/tickets', 'Tickets', 'tickets.read'],
  ['/admin/announcements', 'Announcements', 'content.write'],
  ['/admin/pages', 'Pages', 'content.write'],
  ['/admin/affiliates', 'Affiliates', 'users.read'],
];

const CLIENT_PAGES: Record<string, () => ReactNode> = {
  '/': () => <DashboardPage />,
  '/new-order': () => <NewOrderPage />,
  '/mass-order': () => <MassOrderPage />,
  '/orders': () => <OrdersPage />,
  '/refills': () => <RefillsPage />,
  '/services': () => <ServicesPage />,
  '/updates': () => <UpdatesPage />,
  '/funds': () => <FundsPage />,
  '/api-keys': () => <ApiPage />,
  '/add-funds': () => <AddFundsPage />,
  '/affiliates': () => <AffiliatesPage />,
  '/security': () => <SecurityPage />,
  '/webhooks': () => <WebhooksPage />,
  '/tickets': () => <TicketsPage />,
  '/account': () => <AccountPage />,
};

const ADMIN_PAGES: Record<string, () => ReactNode> = {
  '/admin': () => <AdminDashboardPage />,
  '/admin/users': () => <AdminUsersPage />,
  '/admin/services': () => <AdminServicesPage />,
  '/admin/providers': () => <AdminProvidersPage />,
  '/admin/currencies': () => <AdminCurrenciesPage />,
  '/admin/orders': () => <AdminOrdersPage />,
  '/admin/refills': () => <AdminRefillsPage />,
  '/admin/delivery': () => <AdminDeliveryPage />,
  '/admin/subscriptions': () => <AdminSubscriptionsPage />,
  '/admin/audit': () => <AdminAuditPage />,
  '/admin/settings': () => <AdminSettingsPage />,
  '/admin/payments': () => <AdminPaymentsPage />,
  '/admin/tickets': () => <AdminTicketsPage />,
  '/admin/announcements': () => <AdminAnnouncementsPage />,
  '/admin/pages': () => <AdminPagesPage />,
  '/admin/affiliates': () => <AdminAffiliatesPage />,
};

/** Pages with an id in their path (the links emails carry). */
function pageWithId(path: string): (() => ReactNode) | undefined {
  const ticket = /^\/tickets\/(\d+)$/.exec(path);
  if (ticket) return () => <TicketPage key={ticket[1]} id={Number(ticket[1])} />;
  const adminTicket = /^\/admin\/tickets\/(\d+)$/.exec(path);
  if (adminTicket) return () => <AdminTicketPage key={adminTicket[1]} id={Number(adminTicket[1])} />;
  return undefined;
}

/** Pages the links in emails open, logged in or not. */
const ACCOUNT_LINK_PAGES: Record<string, () => ReactNode> = {
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
  '/verify-email': () => <VerifyEmailPage />,
};

export function App() {
  const [session, setSession] = useState<SessionAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Reads are sequenced: an older answer arriving after a newer one is dropped, so the balance shown
  // is always the latest the server gave.
  const sent = useRef(0);
  const refresh = useCallback(async () => {
    const sequence = ++sent.current;
    try {
      const answer = await api.get('/session');
      if (sequence !== sent.current) return;
      setCsrfToken(answer.csrfToken);
      await showLanguage(answer.language);
      if (sequence !== sent.current) return;
      setSession(answer);
      setFailure(null);
      document.title = answer.panel.panelName;
      applyBranding(answer.panel);
    } catch (error) {
      if (sequence === sent.current) setFailure(error instanceof Error ? error.message : String(error));
    }
  }, []);
  // The balance in the header is re-read after every action, on every navigation and whenever the
  // window regains focus, so it never disagrees with the Funds page.
  const { path, search } = useLocation();
  const href = `${path}?${search.toString()}`;
  useEffect(() => {
    void refresh();
  }, [refresh, href]);
  useEffect(() => {
    const again = () => void refresh();
    const visible = () => {
      if (document.visibilityState === 'visible') again();
    };
    window.addEventListener('focus', again);
    document.addEventListener('visibilitychange', visible);
    const stop = onMutation(again);
    return () => {
      window.removeEventListener('focus', again);
      document.removeEventListener('visibilitychange', visible);
      stop();
    };
  }, [refresh]);

  if (session === null) {
    // Nothing is translated before the first session answer names the language: a bare ellipsis.
    return <main className="boot">{failure ?? '…'}</main>;
  }
  const state: SessionState = {
    panel: session.panel,
    user: session.user,
    signIn: session.signIn,
    emailEnabled: session.emailEnabled,
    displayCurrency: session.displayCurrency,
    displayCurrencies: session.displayCurrencies,
    refresh,
  };
  return (
    <SessionContext.Provider value={state}>
      <Suspense fallback={<main className="boot">…</main>}>
        <Shell state={state} />
      </Suspense>
    </SessionContext.Provider>
  );
}

/** The uploaded logo beside the panel's name (decorative: the name is the text), or nothing. */
function BrandLogo({ panel }: { panel: SessionState['panel'] }) {
  return panel.logoUrl === null ? null : <img className="brand-logo" src={panel.logoUrl} alt="" />;
}

function Shell({ state }: { state: SessionState }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const user = state.user;

  const accountLinkPage = ACCOUNT_LINK_PAGES[path];
  if (user === null || accountLinkPage !== undefined) {
    const page =
      accountLinkPage !== undefined ? accountLinkPage() : path === '/signup' ? <SignupPage /> : <LoginPage />;
    return (
      <div className="auth-shell">
        <header className="auth-head">
          <p className="brand brand-large">
            <BrandLogo panel={state.panel} />
            {state.panel.panelName}
          </p>
          <LanguagePicker />
        </header>
        <main id="main">{page}</main>
      </div>
    );
  }

  const inAdmin = path === '/admin' || path.startsWith('/admin/');
  if (inAdmin && user.role !== 'admin') return <Redirect to="/" />;
  // Staff without 2FA while the panel requires it are sent to set it up.
  if (inAdmin && user.twoFactorSetupRequired) return <Redirect to="/security" />;
  const nav = inAdmin
    ? ADMIN_NAV.filter(([, , permission]) => user.permissions.includes(permission))
    : CLIENT_NAV;
  const render = (inAdmin ? ADMIN_PAGES : CLIENT_PAGES)[path.replace(/\/$/, '') || '/'] ?? pageWithId(path);

  const logOut = async () => {
    await api.post('/logout');
    await state.refresh();
    navigate('/login');
  };

  return (
    <div className="shell">
      <header className="topbar">
        <Link href={inAdmin ? '/admin' : '/'} className="brand">
          <BrandLogo panel={state.panel} />
          {state.panel.panelName}
          {inAdmin && <span className="brand-tag">admin</span>}
        </Link>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('shell.menu')}
        </button>
        <div className="topbar-user">
          {!inAdmin && (
            <Link href="/funds" className="balance">
              <span className="sr-only">{t('shell.balance')} </span>
              {money(user.balance)}
            </Link>
          )}
          <span className="muted">{user.username}</span>
        </div>
      </header>
      <nav id="main-nav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label={t('shell.mainNav')}>
        <ul>
          {nav.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={path === href ? 'page' : undefined}>
                {inAdmin ? label : t(`nav.${label}`)}
              </Link>
            </li>
          ))}
        </ul>
        <ul className="nav-foot">
          {user.role === 'admin' && (
            <li>
              <Link href={inAdmin ? '/' : '/admin'}>
                {inAdmin ? t('shell.clientArea') : t('shell.admin')}
              </Link>
            </li>
          )}
          <li>
            <LanguagePicker />
          </li>
          <li>
            <button type="button" className="link-button" onClick={() => void logOut()}>
              {t('shell.logOut')}
            </button>
          </li>
        </ul>
      </nav>
      <main id="main" className="content">
        {user.impersonatedBy != null && (
          <ImpersonationBanner customer={user.username} staff={user.impersonatedBy.username} />
        )}
        <Suspense fallback={<p className="muted">{t('shell.loading')}</p>}>
          {render ? render() : <NotFound />}
        </Suspense>
      </main>
    </div>
  );
}

/** Shown on every page while a staff member is signed in as this customer. */
function ImpersonationBanner({ customer, staff }: { customer: string; staff: string }) {
  const { t } = useTranslation();
  const { refresh } = useSession();
  const [failure, setFailure] = useState<string | null>(null);
  const back = async () => {
    try {
      const answer = await api.post('/impersonation/end');
      setCsrfToken(answer.csrfToken);
      await refresh();
      navigate('/admin/users');
    } catch (error) {
      setFailure(errorText(error));
    }
  };
  return (
    <div className="impersonation-banner" role="status">
      <span>
        {t('impersonation.signedInAs', { staff })} <strong>{customer}</strong>
        {t('impersonation.recorded')}
      </span>
      <button type="button" className="primary" onClick={() => void back()}>
        {t('impersonation.back')}
      </button>
      {failure !== null && <Alert kind="error">{failure}</Alert>}
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="page">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link href="/">{t('notFound.back')}</Link>
      </p>
    </section>
  );
}
