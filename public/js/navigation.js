import './local-time.js';

// On a narrow screen the main links fold behind a Menu button; without this script they simply all show.
const nav = document.querySelector('.main-header__nav');
const button = nav?.querySelector('.main-header__menu-button');

if (button) {
  nav.classList.add('main-header__nav--collapsible');
  button.hidden = false;
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('main-header__nav--open', open);
  });
}
