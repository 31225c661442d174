import type { ReactNode } from 'react';
import { useApp } from '../../../application/context/AppContext';

/** An in-app link (history API; a modified click opens a new tab as usual). */
export function AdminLink({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const { navigate } = useApp();
  return (
    <a
      href={to}
      className={className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** The header's way into the admin console, shown to admins only. */
export function AdminNavLink() {
  const { t, session } = useApp();
  if (session?.role !== 'admin') return null;
  return (
    <AdminLink to="/admin" className="btn-ghost admin-nav-link">
      {t('admin.nav')}
    </AdminLink>
  );
}
