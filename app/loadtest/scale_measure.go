package main

type scaleTarget struct{ Base, Slug, Email, Password, Token, Participant string }

func measureScale(t scaleTarget, n, conc int) error { return nil }
