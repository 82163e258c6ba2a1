import type {TenantScope} from '../../repositories/meeting.repository';

/** Who acts: the bearer user, and the tenant whose meetings it sees. */
export interface MeetingActor {
  id: string;
  tenantId: TenantScope;
}
