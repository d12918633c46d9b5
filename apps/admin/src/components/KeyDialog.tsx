import { useEffect, useId, useRef, useState } from 'react';

/** The API's message with its `code` spans as code, not literal backticks. */
function withCode(message: string) {
  return message.split(/`([^`]+)`/).map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part));
}

/** Asks for the admin key when the API requires one; the caller keeps it for the session. */
export function KeyDialog({ message, onSave }: { message: string; onSave: (key: string) => void }) {
  const [key, setKey] = useState('');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section role="dialog" aria-modal="false" aria-labelledby={`${id}-title`} className="key-dialog">
      <h2 id={`${id}-title`}>This Cairn needs an admin key</h2>
      <p>{withCode(message)}</p>
      <p className="hint">
        No admin key yet? Create one with <code>cairn keys create --name me --scopes admin</code> (on the embedded database, stop the server
        first: one process holds it), or start the API with <code>CAIRN_ADMIN_KEY</code> set.
      </p>
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
