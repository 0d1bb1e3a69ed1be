// The normalized relational form of a call record: every table's columns declared once; row types derive from them.

/**
 * Column kinds: `text` TEXT, `int` BIGINT (epoch ms, counts, Int32/Int64 metrics), `real` DOUBLE PRECISION,
 * `bool` INTEGER 0/1. A trailing `!` marks NOT NULL. Times are epoch milliseconds (`*_time`), ISO-8601
 * durations are milliseconds (`*_ms`). Graph property names map to snake_case mechanically (Graph's own
 * spelling kept, e.g. `cpu_insufficent_event_ratio`).
 */
export type ColumnKind = 'text' | 'int' | 'real' | 'bool' | 'text!' | 'int!' | 'real!' | 'bool!';
export type ColumnSpec = Readonly<Record<string, ColumnKind>>;

type Base<K extends string> = K extends 'text' ? string : number;
/** The row shape a column spec describes (bools are 0/1 numbers, as both databases read them back). */
export type RowOf<C extends ColumnSpec> = {
  [K in keyof C]: C[K] extends `${infer B}!` ? Base<B> : Base<C[K]> | null;
};

/** One call record, its current (highest) version. Primary key: id. */
export const callColumns = {
  id: 'text!',
  version: 'int!',
  type: 'text',
  /** Comma-separated Graph modalities, e.g. `audio,video`. */
  modalities: 'text',
  start_time: 'int',
  end_time: 'int',
  duration_ms: 'int',
  last_modified_time: 'int',
  join_web_url: 'text',
  organizer_id: 'text',
  organizer_name: 'text',
  organizer_upn: 'text',
  organizer_tenant_id: 'text',
  /** Identity-set member the organizer was given as: user, phone, guest, application, ... */
  organizer_kind: 'text',
  /** The tenant whose Graph this record came from (organizer's tenant sees all; a participant tenant only its users). */
  view_tenant_id: 'text',
  /** 'organizer' | 'participant' | 'unknown'. */
  view: 'text!',
  participant_count: 'int!',
  session_count: 'int!',
  segment_count: 'int!',
  media_count: 'int!',
  stream_count: 'int!',
  poor_stream_count: 'int!',
  /** 1 when Graph said more sessions / participants exist (an `@odata.nextLink` was present). */
  sessions_truncated: 'bool!',
  participants_truncated: 'bool!',
  source: 'text',
  received_at: 'int!',
} as const satisfies ColumnSpec;

/** Primary key: (call_id, participant_idx). From participants_v2, else the deprecated participants. */
export const participantColumns = {
  call_id: 'text!',
  participant_idx: 'int!',
  participant_id: 'text',
  identity_id: 'text',
  display_name: 'text',
  upn: 'text',
  tenant_id: 'text',
  /** Identity-set member: user, guest, phone, application, applicationInstance, acsUser, device, ... */
  kind: 'text',
  is_organizer: 'bool!',
  /** Comma-separated administrativeUnitInfos ids. */
  administrative_unit_ids: 'text',
} as const satisfies ColumnSpec;

/** Primary key: (call_id, session_idx). */
export const sessionColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  session_id: 'text',
  start_time: 'int',
  end_time: 'int',
  modalities: 'text',
  is_test: 'bool',
  failure_stage: 'text',
  failure_reason: 'text',
  caller_kind: 'text',
  caller_identity_id: 'text',
  caller_name: 'text',
  caller_tenant_id: 'text',
  caller_platform: 'text',
  caller_product_family: 'text',
  caller_role: 'text',
  callee_kind: 'text',
  callee_identity_id: 'text',
  callee_name: 'text',
  callee_tenant_id: 'text',
  callee_platform: 'text',
  callee_product_family: 'text',
  callee_role: 'text',
  segment_count: 'int!',
  segments_truncated: 'bool!',
} as const satisfies ColumnSpec;

/** Primary key: (call_id, session_idx, segment_idx). */
export const segmentColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  segment_id: 'text',
  start_time: 'int',
  end_time: 'int',
  failure_stage: 'text',
  failure_reason: 'text',
  media_count: 'int!',
} as const satisfies ColumnSpec;

/**
 * One side (caller/callee) of a segment, or of a session when segment_idx = -1 (session endpoints carry the
 * user feedback). Primary key: (call_id, session_idx, segment_idx, side).
 */
export const endpointColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  side: 'text!',
  /** 'participant' | 'service' | 'unknown' (from @odata.type). */
  kind: 'text!',
  /** 'client' | 'service' | null (userAgent @odata.type). */
  user_agent_type: 'text',
  platform: 'text',
  product_family: 'text',
  application_version: 'text',
  header_value: 'text',
  azure_ad_app_id: 'text',
  communication_service_id: 'text',
  role: 'text',
  identity_id: 'text',
  identity_name: 'text',
  identity_tenant_id: 'text',
  identity_upn: 'text',
  identity_kind: 'text',
  /** participantEndpoint.name: the device name. */
  device_name: 'text',
  cpu_name: 'text',
  cpu_cores_count: 'int',
  cpu_processor_speed_in_mhz: 'int',
  feedback_rating: 'text',
  feedback_text: 'text',
  /** JSON object of the feedback tokens, e.g. {"NoSound":false,"Echo":true}. */
  feedback_tokens: 'text',
} as const satisfies ColumnSpec;

/** Primary key: (call_id, session_idx, segment_idx, media_idx). */
export const mediaColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  media_idx: 'int!',
  label: 'text',
  media_type: 'text!',
  stream_count: 'int!',
} as const satisfies ColumnSpec;

/** Every deviceInfo property. */
export const deviceInfoColumns = {
  capture_device_driver: 'text',
  capture_device_name: 'text',
  capture_not_functioning_event_ratio: 'real',
  cpu_insufficent_event_ratio: 'real',
  device_clipping_event_ratio: 'real',
  device_glitch_event_ratio: 'real',
  howling_event_count: 'int',
  initial_signal_level_root_mean_square: 'real',
  low_speech_level_event_ratio: 'real',
  low_speech_to_noise_event_ratio: 'real',
  mic_glitch_rate: 'real',
  received_noise_level: 'int',
  received_signal_level: 'int',
  render_device_driver: 'text',
  render_device_name: 'text',
  render_mute_event_ratio: 'real',
  render_not_functioning_event_ratio: 'real',
  render_zero_volume_event_ratio: 'real',
  sent_noise_level: 'int',
  sent_signal_level: 'int',
  speaker_glitch_rate: 'real',
} as const satisfies ColumnSpec;

/** Every networkInfo property except traceRouteHops (their own table). */
export const networkInfoColumns = {
  bandwidth_low_event_ratio: 'real',
  basic_service_set_identifier: 'text',
  connection_type: 'text',
  delay_event_ratio: 'real',
  dns_suffix: 'text',
  ip_address: 'text',
  link_speed: 'int',
  mac_address: 'text',
  network_transport_protocol: 'text',
  port: 'int',
  received_quality_event_ratio: 'real',
  reflexive_ip_address: 'text',
  relay_ip_address: 'text',
  relay_port: 'int',
  sent_quality_event_ratio: 'real',
  subnet: 'text',
  wifi_band: 'text',
  wifi_battery_charge: 'int',
  wifi_channel: 'int',
  wifi_microsoft_driver: 'text',
  wifi_microsoft_driver_version: 'text',
  wifi_radio_type: 'text',
  wifi_signal_strength: 'int',
  wifi_vendor_driver: 'text',
  wifi_vendor_driver_version: 'text',
} as const satisfies ColumnSpec;

/**
 * One side of a media: the callerDevice+callerNetwork or calleeDevice+calleeNetwork, every property a column.
 * Primary key: (call_id, session_idx, segment_idx, media_idx, side).
 */
export const mediaEndpointColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  media_idx: 'int!',
  side: 'text!',
  has_device: 'bool!',
  has_network: 'bool!',
  ...deviceInfoColumns,
  ...networkInfoColumns,
} as const satisfies ColumnSpec;

/**
 * Every mediaStream property, durations as *_ms, plus the CQD classification. Media label, type and the call's
 * start are repeated here so quality queries rarely need a join. Primary key: (call_id, session_idx,
 * segment_idx, media_idx, stream_idx). The sending side is the caller for `callerToCallee`.
 */
export const streamColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  media_idx: 'int!',
  stream_idx: 'int!',
  call_start_time: 'int',
  label: 'text',
  media_type: 'text!',
  /** 'good' | 'poor' | 'unclassified'. */
  quality: 'text!',
  /** Comma-separated PoorReason names, '' when none. */
  poor_reasons: 'text!',
  stream_id: 'text',
  stream_direction: 'text',
  start_time: 'int',
  end_time: 'int',
  audio_codec: 'text',
  video_codec: 'text',
  average_audio_degradation: 'real',
  average_audio_network_jitter_ms: 'real',
  average_bandwidth_estimate: 'int',
  average_freeze_duration_ms: 'real',
  average_jitter_ms: 'real',
  average_packet_loss_rate: 'real',
  average_ratio_of_concealed_samples: 'real',
  average_received_frame_rate: 'real',
  average_round_trip_time_ms: 'real',
  average_video_frame_loss_percentage: 'real',
  average_video_frame_rate: 'real',
  average_video_packet_loss_rate: 'real',
  is_audio_forward_error_correction_used: 'bool',
  low_frame_rate_ratio: 'real',
  low_video_processing_capability_ratio: 'real',
  max_audio_network_jitter_ms: 'real',
  max_jitter_ms: 'real',
  max_packet_loss_rate: 'real',
  max_ratio_of_concealed_samples: 'real',
  max_round_trip_time_ms: 'real',
  packet_utilization: 'int',
  post_forward_error_correction_packet_loss_rate: 'real',
  rms_freeze_duration_ms: 'real',
  was_media_bypassed: 'bool',
} as const satisfies ColumnSpec;

/** Primary key: (call_id, session_idx, segment_idx, media_idx, side, hop_idx). */
export const hopColumns = {
  call_id: 'text!',
  session_idx: 'int!',
  segment_idx: 'int!',
  media_idx: 'int!',
  side: 'text!',
  hop_idx: 'int!',
  hop_count: 'int',
  ip_address: 'text',
  round_trip_time_ms: 'real',
} as const satisfies ColumnSpec;

export type CallRow = RowOf<typeof callColumns>;
export type ParticipantRow = RowOf<typeof participantColumns>;
export type SessionRow = RowOf<typeof sessionColumns>;
export type SegmentRow = RowOf<typeof segmentColumns>;
export type EndpointRow = RowOf<typeof endpointColumns>;
export type MediaRow = RowOf<typeof mediaColumns>;
export type MediaEndpointRow = RowOf<typeof mediaEndpointColumns>;
export type StreamRow = RowOf<typeof streamColumns>;
export type HopRow = RowOf<typeof hopColumns>;
export type DeviceInfoColumns = RowOf<typeof deviceInfoColumns>;
export type NetworkInfoColumns = RowOf<typeof networkInfoColumns>;

/** Everything one call record normalizes to. */
export interface CallRows {
  call: CallRow;
  participants: ParticipantRow[];
  sessions: SessionRow[];
  segments: SegmentRow[];
  endpoints: EndpointRow[];
  media: MediaRow[];
  mediaEndpoints: MediaEndpointRow[];
  streams: StreamRow[];
  hops: HopRow[];
}

/** Table names of the normalized schema (migration 001-records), children first for deletes. */
export const tables = {
  hops: 'call_trace_route_hops',
  streams: 'call_streams',
  mediaEndpoints: 'call_media_endpoints',
  media: 'call_media',
  endpoints: 'call_endpoints',
  segments: 'call_segments',
  sessions: 'call_sessions',
  participants: 'call_participants',
  call: 'calls',
} as const;

/** Each table's column spec, keyed like CallRows. */
export const tableColumns = {
  call: callColumns,
  participants: participantColumns,
  sessions: sessionColumns,
  segments: segmentColumns,
  endpoints: endpointColumns,
  media: mediaColumns,
  mediaEndpoints: mediaEndpointColumns,
  streams: streamColumns,
  hops: hopColumns,
} as const;
