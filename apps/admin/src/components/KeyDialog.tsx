import { useEffect, useId, useRef, useState } from 'react';

/** Asks for the admin key when the API requires one; the caller keeps it for the session. */
export function KeyDialog({ message, onSave }: { message: string; onSave: (key: string) => void }) {
  const [key, setKey] = useState('');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section role="dialog" aria-modal="false" aria-labelledby={`${id}-title`} className="key-dialog">
      <h2 id={`${id}-title`}>This Cairn needs an admin key</h2>
      <p>{message}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) onSave(key.trim());
        }}
      >
        <label htmlFor={id}>Admin key</label>
        <input id={id} ref={input} type="password" autoComplete="off" value={key} onChange={(event) => setKey(event.target.value)} />
        <button type="submit" disabled={!key.trim()}>
          Use this key
        </button>
        <p className="hint">Kept only for this browser session (sessionStorage), sent with each call as a bearer token.</p>
      </form>
    </section>
  );
}
