package main

import (
	"fmt"
	"io"
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// serveReference runs a bare Fiber handler returning one fixed page (fetched
// from pageFrom, so it has the size of the real page): the ceiling any
// dynamic page on this machine could reach.
func serveReference(addr, pageFrom string) error {
	page := []byte("<!doctype html><title>reference</title>")
	if pageFrom != "" {
		res, err := http.Get(pageFrom)
		if err != nil {
			return fmt.Errorf("fetch reference page: %w", err)
		}
		page, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(page)
	})
	fmt.Printf("reference page of %d bytes on http://%s\n", len(page), addr)
	return app.Listen(addr)
}
