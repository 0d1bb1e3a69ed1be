// Test support: every form of PostgreSQL connection string that carries a password (libpq accepts all of them),
// pointing at a port nothing listens on, each with the texts of its password that must never be printed.
export interface ConnectionStringForm {
  name: string;
  url: string;
  secrets: string[];
}

export const connectionStringForms: readonly ConnectionStringForm[] = [
  {
    name: 'userinfo',
    url: 'postgres://calltrove:Kq7-userinfo@127.0.0.1:1/calltrove',
    secrets: ['Kq7-userinfo'],
  },
  {
    name: 'postgresql scheme',
    url: 'postgresql://calltrove:Kq7-scheme@127.0.0.1:1/ct',
    secrets: ['Kq7-scheme'],
  },
  { name: 'empty user', url: 'postgres://:Kq7-emptyuser@127.0.0.1:1/calltrove', secrets: ['Kq7-emptyuser'] },
  {
    name: '?password=',
    url: 'postgres://calltrove@127.0.0.1:1/calltrove?password=Kq7-query',
    secrets: ['Kq7-query'],
  },
  {
    name: '?user=&password=',
    url: 'postgres://127.0.0.1:1/calltrove?user=&password=Kq7-emptyquery',
    secrets: ['Kq7-emptyquery'],
  },
  {
    name: 'password among other parameters',
    url: 'postgres://127.0.0.1:1/calltrove?sslmode=disable&user=calltrove&password=Kq7-middle&application_name=ct',
    secrets: ['Kq7-middle'],
  },
  {
    name: 'percent-encoded password',
    url: 'postgres://calltrove:Kq7%40enc%2Fod%3Aed@127.0.0.1:1/calltrove',
    secrets: ['Kq7%40enc', 'Kq7@enc', 'od%3Aed', 'od:ed'],
  },
  {
    name: 'unencoded @ in the password',
    url: 'postgres://calltrove:Kq7@at-sign@127.0.0.1:1/calltrove',
    secrets: ['Kq7', 'at-sign'],
  },
  {
    name: 'unencoded / and ? in the password (malformed)',
    url: 'postgres://calltrove:Kq7/sl?ash@127.0.0.1:1/calltrove',
    secrets: ['Kq7', 'sl?ash'],
  },
  {
    name: 'several hosts',
    url: 'postgres://calltrove:Kq7-hosts@127.0.0.2:1,127.0.0.1:1/calltrove',
    secrets: ['Kq7-hosts'],
  },
  {
    name: 'sslpassword',
    url: 'postgres://calltrove@127.0.0.1:1/ct?sslpassword=Kq7-sslkey',
    secrets: ['Kq7-sslkey'],
  },
  {
    name: 'key=value',
    url: 'host=127.0.0.1 port=1 user=calltrove password=Kq7-keyvalue dbname=calltrove',
    secrets: ['Kq7-keyvalue'],
  },
  {
    name: 'key=value, quoted with a space',
    url: "host=127.0.0.1 port=1 password='Kq7 quoted\\' value' dbname=calltrove",
    secrets: ['Kq7', 'quoted', "value'"],
  },
];
