import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, Route, Router, Switch, useRoute } from 'wouter';
import { adminKey, ApiError, onAuthRequired } from './api/client.js';
import { KeyDialog } from './components/KeyDialog.js';
import { AnswerPage } from './pages/AnswerPage.js';
import { AskPage } from './pages/AskPage.js';
import { FeedbackPage } from './pages/FeedbackPage.js';
import { RunDetailPage, RunsPage } from './pages/RunsPage.js';
import { SearchPage } from './pages/SearchPage.js';
import { SourcesPage } from './pages/SourcesPage.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a 5xx or a lost connection might.
        retry: (failures, error) => failures < 2 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
        refetchOnWindowFocus: false,
      },
    },
  });
}

function NavLink({ href, children }: { href: string; children: string }) {
  const [active] = useRoute(href === '/' ? '/' : `${href}/*?`);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Shell() {
  const queryClient = useQueryClient();
  const [authMessage, setAuthMessage] = useState<string | null>(null);
  const [hasKey, setHasKey] = useState(() => adminKey.get() !== null);
  useEffect(
    () =>
      onAuthRequired((error) => {
        adminKey.clear();
        setHasKey(false);
        setAuthMessage(error.message);
      }),
    [],
  );

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Cairn admin</span>
        <nav aria-label="Main">
          <NavLink href="/">Ask</NavLink>
          <NavLink href="/sources">Sources</NavLink>
          <NavLink href="/runs">Runs</NavLink>
          <NavLink href="/search">Search</NavLink>
          <NavLink href="/feedback">Feedback</NavLink>
        </nav>
        {hasKey && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              adminKey.clear();
              setHasKey(false);
              queryClient.clear();
            }}
          >
            Forget key
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {authMessage !== null && (
          <KeyDialog
            message={authMessage}
            onSave={(key) => {
              adminKey.set(key);
              setHasKey(true);
              setAuthMessage(null);
              void queryClient.invalidateQueries();
            }}
          />
        )}
        <Switch>
          <Route path="/">
            <AskPage />
          </Route>
          <Route path="/sources">
            <SourcesPage />
          </Route>
          <Route path="/runs">
            <RunsPage />
          </Route>
          <Route path="/runs/:id">{(params) => <RunDetailPage id={params.id} />}</Route>
          <Route path="/answers/:id">{(params) => <AnswerPage messageId={params.id} />}</Route>
          <Route path="/search">
            <SearchPage />
          </Route>
          <Route path="/feedback">
            <FeedbackPage />
          </Route>
          <Route>
            <p className="state state-empty">
              No such page. <Link href="/">Go to Ask</Link>.
            </p>
          </Route>
        </Switch>
      </main>
    </>
  );
}

/** The admin UI, under `base` (the API serves it at /admin). */
export function App({ base = '/admin', queryClient }: { base?: string; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <QueryClientProvider client={client}>
      <Router base={base}>
        <Shell />
      </Router>
    </QueryClientProvider>
  );
}
