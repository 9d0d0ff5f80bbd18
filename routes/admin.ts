import { Router } from 'express';
import * as admin from '../controllers/admin.ts';
import { requireLogin } from '../middleware/require-login.ts';

export const adminRoutes = Router();

// Every admin page acts on the signed-in user's own products.
adminRoutes.use(requireLogin);

adminRoutes.get('/add-product', admin.getAddProduct);
adminRoutes.post('/add-product', admin.postAddProduct);
adminRoutes.get('/products', admin.getProducts);
adminRoutes.get('/edit-product/:productId', admin.getEditProduct);
adminRoutes.post('/edit-product', admin.postEditProduct);
adminRoutes.post('/delete-product', admin.postDeleteProduct);
