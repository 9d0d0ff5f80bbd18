import { Router } from 'express';
import * as auth from '../controllers/auth.ts';

export const authRoutes = Router();

authRoutes.get('/login', auth.getLogin);
authRoutes.post('/login', auth.postLogin);
authRoutes.get('/signup', auth.getSignup);
authRoutes.post('/signup', auth.postSignup);
// Logout changes state, so it is a POST that carries the CSRF token, never a link.
authRoutes.post('/logout', auth.postLogout);
