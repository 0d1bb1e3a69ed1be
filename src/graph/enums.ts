// Known values of the Graph callRecords enums; parsing accepts any string because Graph adds members over time.
export const callTypes = ['unknown', 'groupCall', 'peerToPeer', 'unknownFutureValue'] as const;
export const modalities = [
  'audio',
  'video',
  'videoBasedScreenSharing',
  'data',
  'screenSharing',
  'unknownFutureValue',
] as const;
export const streamDirections = ['callerToCallee', 'calleeToCaller'] as const;
export const connectionTypes = [
  'unknown',
  'wired',
  'wifi',
  'mobile',
  'tunnel',
  'unknownFutureValue',
] as const;
export const transportProtocols = ['unknown', 'udp', 'tcp', 'unknownFutureValue'] as const;
export const wifiBands = [
  'unknown',
  'frequency24GHz',
  'frequency50GHz',
  'frequency60GHz',
  'unknownFutureValue',
] as const;
export const wifiRadioTypes = [
  'unknown',
  'wifi80211a',
  'wifi80211b',
  'wifi80211g',
  'wifi80211n',
  'wifi80211ac',
  'wifi80211ax',
  'unknownFutureValue',
] as const;
export const productFamilies = [
  'unknown',
  'teams',
  'skypeForBusiness',
  'lync',
  'unknownFutureValue',
  'azureCommunicationServices',
] as const;
export const clientPlatforms = [
  'unknown',
  'windows',
  'macOS',
  'iOS',
  'android',
  'web',
  'ipPhone',
  'roomSystem',
  'surfaceHub',
  'holoLens',
  'unknownFutureValue',
] as const;
export const serviceRoles = [
  'unknown',
  'customBot',
  'skypeForBusinessMicrosoftTeamsGateway',
  'skypeForBusinessAudioVideoMcu',
  'skypeForBusinessApplicationSharingMcu',
  'skypeForBusinessCallQueues',
  'skypeForBusinessAutoAttendant',
  'mediationServer',
  'mediationServerCloudConnectorEdition',
  'exchangeUnifiedMessagingService',
  'mediaController',
  'conferencingAnnouncementService',
  'conferencingAttendant',
  'audioTeleconferencerController',
  'skypeForBusinessUnifiedCommunicationApplicationPlatform',
  'responseGroupServiceAnnouncementService',
  'gateway',
  'skypeTranslator',
  'skypeForBusinessAttendant',
  'responseGroupService',
  'voicemail',
  'unknownFutureValue',
] as const;
export const audioCodecs = [
  'unknown',
  'invalid',
  'cn',
  'pcma',
  'pcmu',
  'amrWide',
  'g722',
  'g7221',
  'g7221c',
  'g729',
  'multiChannelAudio',
  'muchv2',
  'opus',
  'satin',
  'satinFullband',
  'rtAudio8',
  'rtAudio16',
  'silk',
  'silkNarrow',
  'silkWide',
  'siren',
  'xmsRta',
  'unknownFutureValue',
] as const;
export const videoCodecs = [
  'unknown',
  'invalid',
  'av1',
  'h263',
  'h264',
  'h264s',
  'h264uc',
  'h265',
  'rtvc1',
  'rtVideo',
  'xrtvc1',
  'unknownFutureValue',
] as const;
export const feedbackRatings = [
  'notRated',
  'bad',
  'poor',
  'fair',
  'good',
  'excellent',
  'unknownFutureValue',
] as const;
export const failureStages = ['unknown', 'callSetup', 'midcall', 'unknownFutureValue'] as const;

/** An enum value as Graph sends it: one of the known members, or a member added after this build. */
export type OpenEnum<T extends readonly string[]> = T[number] | (string & {});
