/** Permission keys carried in the bearer token's `permissions` claim (same strings as the earlier API). */
export const Permission = {
  CreateMeetingSession: 'CreateMeetingSession',
  GenerateMeetingToken: 'GenerateMeetingToken',
  EditMeeting: 'EditMeeting',
  StopMeeting: 'StopMeeting',
  GetMeetingAttendees: 'GetMeetingAttendees',
  GetMeetingArchives: 'GetMeetingArchives',
  DeleteMeetingArchive: 'DeleteMeetingArchive',
  SetMeetingUploadTarget: 'SetMeetingUploadTarget',
  /** Start a meeting's recording by hand, and change its layout. */
  StartMeetingArchive: 'StartMeetingArchive',
  /** Stop, pause or resume a recording. */
  StopMeetingArchive: 'StopMeetingArchive',
  /** Lets a caller who did not create a meeting mint moderator tokens for it, and moderate it (remove, mute, signal). */
  ModerateMeeting: 'ModerateMeeting',
  /** Read the tenant's meeting event log. */
  ViewMeetingEvents: 'ViewMeetingEvents',
  /** Create, change and inspect the tenant's webhook subscriptions and their delivery log. */
  ManageEventSubscriptions: 'ManageEventSubscriptions',
} as const;

export type PermissionKey = (typeof Permission)[keyof typeof Permission];

export const ALL_PERMISSIONS: readonly PermissionKey[] = Object.values(Permission);
