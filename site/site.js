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
