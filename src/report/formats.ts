// The report formats, apart from the renderers, so that registering the CLI loads none of them.
export const FORMATS = ['table', 'json', 'md', 'junit', 'html'] as const;
export type Format = (typeof FORMATS)[number];
