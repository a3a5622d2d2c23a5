// Starts the web app (a file of its own: the Content-Security-Policy allows no inline script).
import init from "/kehu_frontend.js";
init();
