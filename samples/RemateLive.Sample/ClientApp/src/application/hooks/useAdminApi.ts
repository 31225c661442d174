import { useMemo } from 'react';
import type { AdminApi } from '../../domain/adminPorts';
import { HttpAdminApi } from '../../infrastructure/adminApi';
import { useApp } from '../context/AppContext';

/** The admin REST calls, authenticated with the current session's token (a new client when the token changes). */
export function useAdminApi(): AdminApi {
  const token = useApp().session?.token;
  return useMemo(() => new HttpAdminApi(() => token), [token]);
}
