// Microsoft's national clouds: where Graph and Entra ID live for each, selectable by name.
export const clouds = {
  global: { graphUrl: 'https://graph.microsoft.com/v1.0', authorityUrl: 'https://login.microsoftonline.com' },
  usgov: { graphUrl: 'https://graph.microsoft.us/v1.0', authorityUrl: 'https://login.microsoftonline.us' },
  dod: { graphUrl: 'https://dod-graph.microsoft.us/v1.0', authorityUrl: 'https://login.microsoftonline.us' },
  china: {
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn/v1.0',
    authorityUrl: 'https://login.chinacloudapi.cn',
  },
} as const;

export type CloudName = keyof typeof clouds;
