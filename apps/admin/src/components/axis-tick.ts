/**
 * The props of the charts' axis labels. recharts colours tick labels through the element's
 * style (set from script, so the CSP allows it), which a stylesheet's rule cannot override:
 * so the theme's colour goes in here, as a custom property that follows the colour scheme.
 */
export const axisTick = { fill: 'var(--muted)' };
