import { BrandMark, LockIcon } from '../components/icons.tsx';

/** Shown instead of the app when the server does not accept (or never got) the session token. */
export function AuthScreen() {
  return (
    <main className="standalone" id="main-content" data-testid="auth-required">
      <div className="standalone-inner" style={{ maxWidth: 560 }}>
        <div className="row" style={{ marginBottom: 24 }}>
          <BrandMark className="brand-mark" />
          <strong>Netra Apex</strong>
        </div>
        <div className="card state">
          <span className="state-icon">
            <LockIcon />
          </span>
          <h1>Open the link Apex printed</h1>
          <p>
            This dashboard needs the session token that <code>apex serve</code> prints when it starts. The
            token is new every time Apex starts, so an old link or bookmark stops working.
          </p>
          <p>
            Find the line that starts with <code>dashboard:</code> in the terminal running Apex, for example{' '}
            <code>http://127.0.0.1:4100/?token=…</code>, and open that address.
          </p>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    </main>
  );
}
