import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import type { TwoFactorSetup } from '@smmkit/contract';
import { api } from '../../api.js';
import { Alert, Field, Page } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useSession } from '../../session.js';

/** The otpauth URL as a QR code, drawn here as SVG squares (no image URL, nothing from elsewhere). */
function QrCode(props: { text: string }) {
  const { t } = useTranslation('account');
  const { modules } = QRCode.create(props.text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const squares: string[] = [];
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size; col += 1) {
      if (modules.get(row, col)) squares.push(`M${col + 4} ${row + 4}h1v1h-1z`);
    }
  }
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={t('security.qr')}
      viewBox={`0 0 ${size + 8} ${size + 8}`}
      width={224}
      height={224}
      shapeRendering="crispEdges"
    >
      <rect width={size + 8} height={size + 8} fill="#fff" />
      <path d={squares.join('')} fill="#000" />
    </svg>
  );
}

/** Two-factor sign-in: set up with an authenticator app, confirm with a code, keep the recovery codes; or turn it off. */
export function SecurityPage() {
  const session = useSession();
  const user = session.user!;
  const { t } = useTranslation('account');
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const run = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  const start = () => run(async () => setSetup(await api.post('/2fa/setup')));
  const enable = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const answer = await api.post('/2fa/enable', { code });
      setRecoveryCodes(answer.recoveryCodes);
      setSetup(null);
      setCode('');
      await session.refresh();
    });
  };
  const disable = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      await api.post('/2fa/disable', { password, code });
      setPassword('');
      setCode('');
      setRecoveryCodes(null);
      await session.refresh();
      setMessage({ kind: 'ok', text: t('security.turnedOff') });
    });
  };

  return (
    <Page title={t('security.title')}>
      {user.twoFactorSetupRequired && <Alert kind="info">{t('security.requiredForStaff')}</Alert>}
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {recoveryCodes !== null && (
        <section className="card">
          <h2>{t('security.recovery.title')}</h2>
          <p>{t('security.recovery.text')}</p>
          <ul className="recovery-codes" aria-label={t('security.recovery.title')}>
            {recoveryCodes.map((recovery) => (
              <li key={recovery}>
                <code>{recovery}</code>
              </li>
            ))}
          </ul>
        </section>
      )}
      {!user.twoFactor && setup === null && (
        <section className="card">
          <h2>{t('security.off.title')}</h2>
          <p>{t('security.off.text')}</p>
          <button type="button" className="primary" onClick={() => void start()}>
            {t('security.off.setUp')}
          </button>
        </section>
      )}
      {!user.twoFactor && setup !== null && (
        <form className="card" onSubmit={(event) => void enable(event)}>
          <h2>{t('security.setup.title')}</h2>
          <QrCode text={setup.otpauthUrl} />
          <p>
            {t('security.setup.typeKey')} <code data-testid="two-factor-secret">{setup.secret}</code>
          </p>
          <Field
            label={t('security.setup.code')}
            value={code}
            onChange={setCode}
            required
            autoComplete="one-time-code"
          />
          <button type="submit" className="primary">
            {t('security.setup.turnOn')}
          </button>
        </form>
      )}
      {user.twoFactor && (
        <form className="card" onSubmit={(event) => void disable(event)}>
          <h2>{t('security.on.title')}</h2>
          <p>{t('security.on.text')}</p>
          <Field
            label={t('security.on.password')}
            type="password"
            value={password}
            onChange={setPassword}
            required
            autoComplete="current-password"
          />
          <Field
            label={t('security.on.code')}
            value={code}
            onChange={setCode}
            required
            autoComplete="one-time-code"
          />
          <button type="submit">{t('security.on.turnOff')}</button>
        </form>
      )}
    </Page>
  );
}
