import type { SessionAnswer } from '@smmkit/contract';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, setCsrfToken } from './api.js';
import { Link, navigate, useLocation } from './router.js';
import { SessionContext, type SessionState } from './session.js';
import { LoginPage, SignupPage } from './pages/client/auth.js';
import { DashboardPage } from './pages/client/dashboard.js';
import { NewOrderPage } from './pages/client/new-order.js';
import { MassOrderPage } from './pages/client/mass-order.js';
import { OrdersPage } from './pages/client/orders.js';
import { RefillsPage } from './pages/client/refills.js';
import { ServicesPage } from './pages/client/services.js';
import { FundsPage } from './pages/client/funds.js';
import { ApiPage } from './pages/client/api-page.js';
import { AdminDashboardPage } from './pages/admin/dashboard.js';
import { AdminUsersPage } from './pages/admin/users.js';
import { AdminServicesPage } from './pages/admin/services.js';
import { AdminProvidersPage } from './pages/admin/providers.js';
import { AdminOrdersPage } from './pages/admin/orders.js';
import { AdminRefillsPage } from './pages/admin/refills.js';
import { AdminSubscriptionsPage } from './pages/admin/subscriptions.js';
import { AdminAuditPage } from './pages/admin/audit.js';
import { AdminSettingsPage } from './pages/admin/settings.js';
import { ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage } from './pages/client/recovery.js';
import { AccountPage } from './pages/client/account.js';
import { TicketPage, TicketsPage } from './pages/client/tickets.js';
import { AdminTicketPage, AdminTicketsPage } from './pages/admin/tickets.js';

const CLIENT_NAV = [
  ['/', 'Dashboard'],
  ['/new-order', 'New order'],
  ['/mass-order', 'Mass order'],
  ['/orders', 'Orders'],
  ['/refills', 'Refills'],
  ['/services', 'Services'],
  ['/funds', 'Funds'],
  ['/api-keys', 'API'],
  ['/tickets', 'Tickets'],
  ['/account', 'Account'],
] as const;

const ADMIN_NAV = [
  ['/admin', 'Dashboard'],
  ['/admin/users', 'Users'],
  ['/admin/services', 'Services'],
  ['/admin/providers', 'Providers'],
  ['/admin/orders', 'Orders'],
  ['/admin/refills', 'Refills'],
  ['/admin/subscriptions', 'Subscriptions'],
  ['/admin/audit', 'Audit log'],
  ['/admin/settings', 'Settings'],
  ['/admin/tickets', 'Tickets'],
] as const;

const CLIENT_PAGES: Record<string, () => ReactNode> = {
  '/': () => <DashboardPage />,
  '/new-order': () => <NewOrderPage />,
  '/mass-order': () => <MassOrderPage />,
  '/orders': () => <OrdersPage />,
  '/refills': () => <RefillsPage />,
  '/services': () => <ServicesPage />,
  '/funds': () => <FundsPage />,
  '/api-keys': () => <ApiPage />,
  '/tickets': () => <TicketsPage />,
  '/account': () => <AccountPage />,
};

const ADMIN_PAGES: Record<string, () => ReactNode> = {
  '/admin': () => <AdminDashboardPage />,
  '/admin/users': () => <AdminUsersPage />,
  '/admin/services': () => <AdminServicesPage />,
  '/admin/providers': () => <AdminProvidersPage />,
  '/admin/orders': () => <AdminOrdersPage />,
  '/admin/refills': () => <AdminRefillsPage />,
  '/admin/subscriptions': () => <AdminSubscriptionsPage />,
  '/admin/audit': () => <AdminAuditPage />,
  '/admin/settings': () => <AdminSettingsPage />,
  '/admin/tickets': () => <AdminTicketsPage />,
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
  const refresh = useCallback(async () => {
    try {
      const answer = await api.get('/session');
      setCsrfToken(answer.csrfToken);
      setSession(answer);
      document.title = answer.panel.panelName;
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (session === null) {
    return <main className="boot">{failure ?? 'Loading…'}</main>;
  }
  const state: SessionState = {
    panel: session.panel,
    user: session.user,
    emailEnabled: session.emailEnabled,
    refresh,
  };
  return (
    <SessionContext.Provider value={state}>
      <Shell state={state} />
    </SessionContext.Provider>
  );
}

function Shell({ state }: { state: SessionState }) {
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
        <p className="brand brand-large">{state.panel.panelName}</p>
        <main id="main">{page}</main>
      </div>
    );
  }

  const inAdmin = path === '/admin' || path.startsWith('/admin/');
  if (inAdmin && user.role !== 'admin') return <Redirect to="/" />;
  const nav = inAdmin ? ADMIN_NAV : CLIENT_NAV;
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
          Menu
        </button>
        <div className="topbar-user">
          {!inAdmin && (
            <Link href="/funds" className="balance">
              <span className="sr-only">Balance: </span>
              {user.balance} {state.panel.currency}
            </Link>
          )}
          <span className="muted">{user.username}</span>
        </div>
      </header>
      <nav id="main-nav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label="Main">
        <ul>
          {nav.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={path === href ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
        <ul className="nav-foot">
          {user.role === 'admin' && (
            <li>
              <Link href={inAdmin ? '/' : '/admin'}>{inAdmin ? 'Client area' : 'Admin'}</Link>
            </li>
          )}
          <li>
            <button type="button" className="link-button" onClick={() => void logOut()}>
              Log out
            </button>
          </li>
        </ul>
      </nav>
      <main id="main" className="content">
        {render ? render() : <NotFound />}
      </main>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to), [to]);
  return null;
}

function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        <Link href="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}
