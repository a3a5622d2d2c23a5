DROP TABLE products;
DROP TABLE product_categories;
