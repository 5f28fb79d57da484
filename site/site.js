// Two small behaviours; the site reads fine without them.
const root = document.documentElement
document.querySelector('.theme-button')?.addEventListener('click', () => {
  const dark = root.dataset.theme
    ? root.dataset.theme === 'dark'
    : matchMedia('(prefers-color-scheme: dark)').matches
  root.dataset.theme = dark ? 'light' : 'dark'
  try { localStorage.setItem('netlings-theme', root.dataset.theme) } catch {}
})

const menu = document.querySelector('.menu-button')
menu?.addEventListener('click', () => {
  const open = document.body.classList.toggle('nav-open')
  menu.setAttribute('aria-expanded', String(open))
})
// A link in the phone menu leads elsewhere: close the menu so the reader sees where.
document.querySelectorAll('.sidebar a').forEach((a) =>
  a.addEventListener('click', () => document.body.classList.remove('nav-open')),
)

// The other language's page has the same anchors: switch to the section being read. That is
// the one the address names while it is on screen (a late web font can shift the page under
// it), else the last heading scrolled past.
document.querySelector('.lang-switch')?.addEventListener('click', (event) => {
  const headings = [...document.querySelectorAll('.markdown [id]')].filter((h) => /^H[1-6]$|^SECTION$/.test(h.tagName))
  const named = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)))
  const onScreen = named && named.getBoundingClientRect().bottom > 0 && named.getBoundingClientRect().top < innerHeight
  const reading = onScreen ? named : headings.filter((h) => h.getBoundingClientRect().top <= 96).pop()
  const link = event.currentTarget
  link.href = link.href.split('#')[0] + (reading && reading !== headings[0] ? `#${reading.id}` : '')
})
