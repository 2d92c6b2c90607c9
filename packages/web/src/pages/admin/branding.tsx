import { type FormEvent, useEffect, useId, useState } from 'react';
import type { BrandImageInfo, BrandingAnswer } from '@smmkit/contract';
import { api } from '../../api.js';
import { Alert, Field } from '../../components/ui.js';
import { errorText } from '../../hooks.js';
import { useCan } from '../../permissions.js';
import { useSession } from '../../session.js';

type Asset = 'logo' | 'favicon';
type Message = { kind: 'ok' | 'error'; text: string } | null;

/** A file's bytes as base64, in chunks (String.fromCharCode with a whole file would overflow the stack). */
async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

const KB = 1024;

/** Settings › Branding: the primary colour, the logo and the favicon (the server checks every file by its content). */
export function BrandingSettings() {
  const session = useSession();
  const canWrite = useCan()('settings.write');
  const [branding, setBranding] = useState<BrandingAnswer | null>(null);
  const [colour, setColour] = useState('');
  const [message, setMessage] = useState<Message>(null);
  useEffect(() => {
    api.get('/admin/branding').then(
      (answer) => {
        setBranding(answer);
        setColour(answer.primaryColour ?? '');
      },
      (failure: unknown) => setMessage({ kind: 'error', text: errorText(failure) }),
    );
  }, []);

  const saved = async (answer: BrandingAnswer, text: string) => {
    setBranding(answer);
    setColour(answer.primaryColour ?? '');
    await session.refresh();
    setMessage({ kind: 'ok', text });
  };
  const attempt = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (failure) {
      setMessage({ kind: 'error', text: errorText(failure) });
    }
  };
  const saveColour = (event: FormEvent) => {
    event.preventDefault();
    const primaryColour = colour.trim() === '' ? null : colour.trim();
    void attempt(async () =>
      saved(await api.put('/admin/branding/colour', { primaryColour }), 'Primary colour saved.'),
    );
  };
  const upload = (asset: Asset, file: File) =>
    void attempt(async () => {
      const limit = branding?.limits[asset].maxBytes;
      if (limit !== undefined && file.size > limit) {
        throw new Error(
          `The ${asset} must be at most ${limit / KB} KB (this file is ${Math.ceil(file.size / KB)} KB).`,
        );
      }
      const image = await toBase64(file);
      const answer =
        asset === 'logo'
          ? await api.put('/admin/branding/logo', { image })
          : await api.put('/admin/branding/favicon', { image });
      await saved(answer, asset === 'logo' ? 'Logo uploaded.' : 'Favicon uploaded.');
    });
  const remove = (asset: Asset) =>
    void attempt(async () => {
      const answer =
        asset === 'logo'
          ? await api.delete('/admin/branding/logo')
          : await api.delete('/admin/branding/favicon');
      await saved(answer, asset === 'logo' ? 'Logo removed.' : 'Favicon removed.');
    });

  return (
    <section className="card" aria-labelledby="branding-title">
      <h2 id="branding-title">Branding</h2>
      {message !== null && <Alert kind={message.kind}>{message.text}</Alert>}
      {branding !== null && (
        <>
          <form onSubmit={saveColour}>
            <Field
              label="Primary colour"
              value={colour}
              onChange={setColour}
              placeholder="#2754c5"
              hint="As #rrggbb; empty for the panel's blue. Buttons, tabs and links use it; text on it is black or white, whichever reads better, and links are darkened when needed."
            />
            <p>
              <span className="colour-swatch" style={{ background: session.panel.colours.primary }} />{' '}
              <span className="muted small">In use: {session.panel.colours.primary}</span>
            </p>
            {canWrite && (
              <button type="submit" className="primary">
                Save colour
              </button>
            )}
          </form>
          <ImageSetting
            asset="logo"
            label="Logo"
            image={branding.logo}
            limits={branding.limits.logo}
            canWrite={canWrite}
            onUpload={upload}
            onRemove={remove}
          />
          <ImageSetting
            asset="favicon"
            label="Favicon"
            image={branding.favicon}
            limits={branding.limits.favicon}
            canWrite={canWrite}
            onUpload={upload}
            onRemove={remove}
          />
        </>
      )}
    </section>
  );
}

function ImageSetting(props: {
  asset: Asset;
  label: string;
  image: BrandImageInfo | null;
  limits: { maxBytes: number; maxSide: number };
  canWrite: boolean;
  onUpload: (asset: Asset, file: File) => void;
  onRemove: (asset: Asset) => void;
}) {
  const id = useId();
  const { image, limits } = props;
  return (
    <div className="field">
      <h3>{props.label}</h3>
      {image === null ? (
        <p className="muted">None: the panel shows its name alone.</p>
      ) : (
        <>
          <img className="brand-preview" src={image.url} alt={`Current ${props.asset}`} />
          <p className="muted small">
            {image.contentType}, {image.width}×{image.height} px, {Math.ceil(image.bytes / KB)} KB
          </p>
        </>
      )}
      {props.canWrite && (
        <>
          <label htmlFor={id}>Upload a {props.asset}</label>
          <input
            id={id}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif,image/x-icon,.ico"
            aria-describedby={`${id}-hint`}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file !== undefined) props.onUpload(props.asset, file);
            }}
          />
          <p className="hint" id={`${id}-hint`}>
            PNG, JPEG, WebP, GIF or ICO (not SVG), at most {limits.maxBytes / KB} KB and {limits.maxSide}×
            {limits.maxSide} px.
          </p>
          {image !== null && (
            <p>
              <button type="button" onClick={() => props.onRemove(props.asset)}>
                Remove the {props.asset}
              </button>
            </p>
          )}
        </>
      )}
    </div>
  );
}
